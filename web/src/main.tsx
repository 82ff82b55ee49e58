import { render } from "preact";
import { App } from "./App.tsx";
import { createAppState } from "./state/app-state.ts";
import "./styles/theme.css";

const root = document.getElementById("app");
if (root) {
  const state = createAppState({ session: sessionStorage, local: localStorage, hash: location.hash });
  render(<App state={state} />, root);
}
