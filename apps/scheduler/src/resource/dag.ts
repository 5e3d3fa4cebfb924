import { DfError, ErrorCode, notFound } from "@df/errors";

interface Vertex {
  readonly parents: Set<string>;
  readonly children: Set<string>;
}

/** dagCycleError reports an edge refused because it would close a cycle. */
export function dagCycleError(from: string, to: string): DfError {
  return new DfError(ErrorCode.InvalidArgument, `dag: edge ${from} -> ${to} would form a cycle`, {
    from,
    to,
    reason: "cycle",
  });
}

/** Dag is a directed acyclic graph of peer ids for one task; an edge points parent -> child. */
export class Dag {
  readonly #vertices = new Map<string, Vertex>();

  /** size is the number of vertices. */
  get size(): number {
    return this.#vertices.size;
  }

  /** has tells whether the vertex exists. */
  has(id: string): boolean {
    return this.#vertices.has(id);
  }

  /** addVertex adds a vertex without edges; returns false when it already exists. */
  addVertex(id: string): boolean {
    if (this.#vertices.has(id)) return false;
    this.#vertices.set(id, { parents: new Set(), children: new Set() });
    return true;
  }

  /** deleteVertex removes a vertex and every edge touching it. */
  deleteVertex(id: string): void {
    const v = this.#vertices.get(id);
    if (!v) return;
    for (const p of v.parents) this.#vertices.get(p)?.children.delete(id);
    for (const c of v.children) this.#vertices.get(c)?.parents.delete(id);
    this.#vertices.delete(id);
  }

  /** hasEdge tells whether the edge from -> to exists. */
  hasEdge(from: string, to: string): boolean {
    return this.#vertices.get(from)?.children.has(to) ?? false;
  }

  /** canAddEdge tells whether from -> to may be added: both exist, it is new, and no cycle forms. */
  canAddEdge(from: string, to: string): boolean {
    if (!this.#vertices.has(from) || !this.#vertices.has(to)) return false;
    if (from === to || this.hasEdge(from, to)) return false;
    return !this.#reaches(to, from);
  }

  /** addEdge adds from -> to, throwing NotFound, AlreadyExists or a cycle error when it may not. */
  addEdge(from: string, to: string): void {
    const parent = this.#vertices.get(from);
    const child = this.#vertices.get(to);
    if (!parent) throw notFound("dag vertex", from);
    if (!child) throw notFound("dag vertex", to);
    if (parent.children.has(to)) {
      throw new DfError(ErrorCode.AlreadyExists, `dag: edge ${from} -> ${to} exists`, { from, to });
    }
    if (from === to || this.#reaches(to, from)) throw dagCycleError(from, to);
    parent.children.add(to);
    child.parents.add(from);
  }

  /** deleteEdge removes from -> to if present. */
  deleteEdge(from: string, to: string): void {
    this.#vertices.get(from)?.children.delete(to);
    this.#vertices.get(to)?.parents.delete(from);
  }

  /** deleteInEdges removes every edge into the vertex and returns the former parents. */
  deleteInEdges(id: string): string[] {
    const v = this.#vertices.get(id);
    if (!v) return [];
    const parents = [...v.parents];
    for (const p of parents) this.#vertices.get(p)?.children.delete(id);
    v.parents.clear();
    return parents;
  }

  /** parents lists the vertex's direct parents. */
  parents(id: string): string[] {
    return [...(this.#vertices.get(id)?.parents ?? [])];
  }

  /** children lists the vertex's direct children. */
  children(id: string): string[] {
    return [...(this.#vertices.get(id)?.children ?? [])];
  }

  /** inDegree is the number of direct parents. */
  inDegree(id: string): number {
    return this.#vertices.get(id)?.parents.size ?? 0;
  }

  /** childCount is the number of direct children. */
  childCount(id: string): number {
    return this.#vertices.get(id)?.children.size ?? 0;
  }

  /** ancestors is every vertex with a path to this one. */
  ancestors(id: string): Set<string> {
    return this.#walk(id, (v) => v.parents);
  }

  /** descendants is every vertex reachable from this one. */
  descendants(id: string): Set<string> {
    return this.#walk(id, (v) => v.children);
  }

  #reaches(from: string, target: string): boolean {
    return from === target || this.descendants(from).has(target);
  }

  #walk(id: string, next: (v: Vertex) => Set<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [id];
    for (let cur = stack.pop(); cur !== undefined; cur = stack.pop()) {
      const v = this.#vertices.get(cur);
      if (!v) continue;
      for (const n of next(v)) {
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(n);
      }
    }
    return seen;
  }
}
