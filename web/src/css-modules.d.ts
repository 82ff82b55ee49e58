// Stylesheets are imported for their side effect; vite bundles them (TypeScript 7 checks
// side-effect imports, so it needs to know such a module exists).
declare module "*.css";
