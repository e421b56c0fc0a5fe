// <cx-survey>: the survey in an open shadow root (open so that tests and assistive tools can look inside; host CSS
// cannot reach in either way). Its options are set as the property "o" before it is connected.
import { mount } from "./survey.js";

export const define = () =>
  customElements.get("cx-survey") ||
  customElements.define(
    "cx-survey",
    class extends HTMLElement {
      connectedCallback() {
        if (!this.shadowRoot) mount(this, this.attachShadow({ mode: "open" }), this.o);
      }
    },
  );
