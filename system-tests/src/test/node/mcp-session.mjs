// One MCP session with the official TypeScript SDK's client (@modelcontextprotocol/sdk), over stdio
// (the client starts the server: `java -jar sluice.jar mcp ...`) or streamable HTTP (the gateway's
// /mcp with a bearer API key). Reads a plan (a JSON file: the transport and the tool calls), lists
// the tools and the resources, makes the calls in order (then, with "burst": N, N calls at once),
// and prints one JSON report line.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { failure: null, server: null, tools: [], resources: [], results: [] };

function transport() {
  if (plan.transport.kind === "stdio") {
    return new StdioClientTransport({ command: plan.transport.command, args: plan.transport.args, stderr: "inherit" });
  }
  const headers = plan.transport.key ? { Authorization: `Bearer ${plan.transport.key}` } : {};
  return new StreamableHTTPClientTransport(new URL(plan.transport.url), { requestInit: { headers } });
}

const client = new Client({ name: "sluice-e2e-node", version: "1.0.0" });
try {
  await client.connect(transport());
  report.server = client.getServerVersion();
  report.tools = (await client.listTools()).tools.map(t => ({ name: t.name, inputSchema: t.inputSchema }));
  report.resources = (await client.listResources()).resources.map(r => r.uri);
  for (const call of plan.calls) {
    try {
      const result = await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
      report.results.push({
        name: call.name,
        isError: result.isError === true,
        text: result.content.filter(c => c.type === "text").map(c => c.text).join("\n"),
        structured: result.structuredContent ?? null,
      });
    } catch (e) {
      report.results.push({ name: call.name, thrown: String(e) });
    }
  }
  if (plan.burst) {
    // Calls in flight at once: each must be answered (a lost answer would leave its promise waiting until the SDK's timeout).
    const answers = await Promise.allSettled(Array.from({ length: plan.burst }, () => client.callTool({ name: "models_list", arguments: {} })));
    report.burst = { ok: answers.filter(a => a.status === "fulfilled" && a.value.isError !== true).length,
      failures: answers.filter(a => a.status === "rejected").map(a => String(a.reason)) };
  }
} catch (e) {
  report.failure = String(e && e.stack ? e.stack : e);
} finally {
  await client.close().catch(() => {});
}
console.log(JSON.stringify(report));
