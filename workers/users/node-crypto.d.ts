// The slice of node:crypto that workerd provides under nodejs_compat and that the
// Worker uses (scrypt for passwords). The worker tsconfig has no @types/node.
declare module "node:crypto" {
  export function scrypt(
    password: string,
    salt: Uint8Array,
    keylen: number,
    options: { N: number; r: number; p: number; maxmem: number },
    callback: (err: Error | null, derivedKey: Uint8Array) => void,
  ): void;
}
