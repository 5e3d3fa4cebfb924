/** StatusBadge shows a component's liveness: green when active, grey otherwise. */
export function StatusBadge({ state }: { state: string }) {
  return <span className={`badge ${state === "active" ? "ok" : "off"}`}>{state}</span>;
}

/** RevisionStatus compares the config revision a component runs with its cluster's current one. */
export function RevisionStatus({
  applied,
  current,
}: {
  applied: number | null;
  current: number | null;
}) {
  if (applied === null) return <span className="muted">not reported</span>;
  if (current === null) return <span>revision {applied}</span>;
  const upToDate = applied >= current;
  return (
    <span>
      {applied} of {current}{" "}
      <span className={`badge ${upToDate ? "ok" : "warn"}`}>
        {upToDate ? "up to date" : "outdated"}
      </span>
    </span>
  );
}
