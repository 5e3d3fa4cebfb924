import { describe, expect, it } from "vitest";

import { ErrorCode, isDfError } from "@df/errors";

import { Dag } from "./dag";

/** chain builds a -> b -> c (-> ...) over the given ids. */
function chain(...ids: string[]): Dag {
  const dag = new Dag();
  for (const id of ids) dag.addVertex(id);
  ids.slice(1).forEach((id, i) => dag.addEdge(ids[i] ?? "", id));
  return dag;
}

const codeOf = (fn: () => void): unknown => {
  try {
    fn();
  } catch (err) {
    return isDfError(err) ? err.code : err;
  }
  return undefined;
};

describe("Dag", () => {
  it.each([
    { name: "refuses an edge that would form a cycle", from: "c", to: "a", code: "cycle" },
    { name: "refuses a self loop", from: "b", to: "b", code: "cycle" },
    { name: "refuses a duplicate edge", from: "a", to: "b", code: ErrorCode.AlreadyExists },
    { name: "refuses an edge to a missing vertex", from: "a", to: "x", code: ErrorCode.NotFound },
  ])("$name", ({ from, to, code }) => {
    const dag = chain("a", "b", "c");
    expect(dag.canAddEdge(from, to)).toBe(false);
    let caught: unknown;
    try {
      dag.addEdge(from, to);
    } catch (err) {
      caught = err;
    }
    expect(isDfError(caught)).toBe(true);
    if (!isDfError(caught)) return;
    if (code === "cycle") {
      expect(caught.code).toBe(ErrorCode.InvalidArgument);
      expect(caught.details).toMatchObject({ from, to, reason: "cycle" });
    } else expect(caught.code).toBe(code);
  });

  it("accepts a shortcut edge that keeps the graph acyclic", () => {
    const dag = chain("a", "b", "c");
    expect(dag.canAddEdge("a", "c")).toBe(true);
    expect(codeOf(() => dag.addEdge("a", "c"))).toBeUndefined();
    expect(dag.inDegree("c")).toBe(2);
  });

  it("answers ancestors, descendants and child counts", () => {
    const dag = chain("a", "b", "c", "d");
    dag.addVertex("e");
    dag.addEdge("a", "e");
    expect([...dag.ancestors("d")].sort()).toEqual(["a", "b", "c"]);
    expect([...dag.descendants("a")].sort()).toEqual(["b", "c", "d", "e"]);
    expect(dag.childCount("a")).toBe(2);
    expect(dag.children("a").sort()).toEqual(["b", "e"]);
    expect(dag.parents("d")).toEqual(["c"]);
  });

  it("deleteInEdges returns the former parents and leaves out-edges", () => {
    const dag = chain("a", "b", "c");
    expect(dag.deleteInEdges("b")).toEqual(["a"]);
    expect(dag.childCount("a")).toBe(0);
    expect(dag.children("b")).toEqual(["c"]);
    expect(dag.canAddEdge("c", "a")).toBe(true);
  });

  it("deleteVertex drops every edge touching the vertex", () => {
    const dag = chain("a", "b", "c");
    dag.deleteVertex("b");
    expect(dag.has("b")).toBe(false);
    expect(dag.childCount("a")).toBe(0);
    expect(dag.inDegree("c")).toBe(0);
    expect(dag.size).toBe(2);
  });

  it("addVertex is idempotent", () => {
    const dag = chain("a", "b");
    expect(dag.addVertex("a")).toBe(false);
    expect(dag.children("a")).toEqual(["b"]);
  });
});
