import { formatNumber } from "../ui/format";
import type { FieldSpec } from "./config-fields";

/** ConfigTable shows a config document's values next to their defaults. */
export function ConfigTable({
  title,
  fields,
  values,
}: {
  title: string;
  fields: FieldSpec[];
  values: Record<string, unknown>;
}) {
  return (
    <table aria-label={title}>
      <thead>
        <tr>
          <th>Setting</th>
          <th>Key</th>
          <th>Value</th>
          <th>Default</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => {
          const raw = values[f.key];
          const value = typeof raw === "number" ? raw : f.default;
          const unit = f.unit ? ` ${f.unit}` : "";
          return (
            <tr key={f.key}>
              <th scope="row">{f.label}</th>
              <td>
                <code>{f.key}</code>
              </td>
              <td>
                {formatNumber(value)}
                {unit}
                {value !== f.default ? <span className="badge warn">changed</span> : null}
              </td>
              <td className="muted">
                {formatNumber(f.default)}
                {unit}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
