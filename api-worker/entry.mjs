// The Worker's JavaScript entry: hands each request to the Rust `fetch` handler.
// After a panic the wasm instance is unusable, so its state is reset before the next request.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as wasm from "./build/index.js";

export default class SpipWorker extends WorkerEntrypoint {
  async fetch(request) {
    try {
      return await wasm.fetch(request, this.env, this.ctx);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) {
        console.error("Resetting the Worker after a crash:", error);
        wasm.__wbg_reset_state();
      }
      throw error;
    }
  }
}
