import type { ComponentChildren } from "preact";
import { hrefFor, type Route } from "../router/routes.ts";

/** An ordinary anchor to a hash route, so middle-click, copy link and the keyboard all work. */
export function Link({ to, children, current, class: className }: { to: Route; children: ComponentChildren; current?: boolean; class?: string }) {
  return (
    <a href={hrefFor(to)} aria-current={current ? "page" : undefined} class={className}>
      {children}
    </a>
  );
}
