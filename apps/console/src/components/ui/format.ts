/** pad2 renders a number with at least two digits. */
const pad2 = (n: number): string => String(n).padStart(2, "0");

/** formatTime renders a time in the browser's zone as `YYYY-MM-DD HH:mm:ss`, or an em dash. */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "—";
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return `${date} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** formatNumber groups digits for reading (1,073,741,824). */
export const formatNumber = (n: number): string => n.toLocaleString("en-US");
