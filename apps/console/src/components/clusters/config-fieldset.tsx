import { formatNumber } from "../ui/format";
import type { FieldSpec } from "./config-fields";
import { fieldId } from "./form-values";

/** FieldError is a server validation message and the field path it names. */
export interface FieldError {
  field: string;
  message: string;
}

/** rangeText renders a field's accepted values and default. */
export function rangeText(f: FieldSpec): string {
  const unit = f.unit ? ` ${f.unit}` : "";
  const range = f.range ?? `${formatNumber(f.min)} to ${formatNumber(f.max)}${unit}`;
  return `Range ${range}; default ${formatNumber(f.default)}${unit}.`;
}

/** ConfigFieldset renders one config document's numeric fields with range, default and errors. */
export function ConfigFieldset({
  legend,
  prefix,
  fields,
  values,
  error,
  onChange,
}: {
  legend: string;
  prefix: "config" | "clientConfig";
  fields: FieldSpec[];
  values: Record<string, string>;
  error: FieldError | null;
  onChange: (key: string, value: string) => void;
}) {
  return (
    <fieldset className="card form-section">
      <legend>{legend}</legend>
      <div className="field-grid">
        {fields.map((f) => {
          const path = `${prefix}.${f.key}`;
          const id = fieldId(path);
          const invalid = error?.field === path;
          return (
            <div className="field" key={f.key}>
              <label htmlFor={id}>{f.label}</label>
              <input
                id={id}
                name={path}
                type="number"
                inputMode="numeric"
                step={1}
                min={f.min}
                max={f.max}
                value={values[f.key] ?? ""}
                placeholder={String(f.default)}
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? `${id}-error ${id}-hint` : `${id}-hint`}
                onChange={(e) => onChange(f.key, e.target.value)}
              />
              {invalid ? (
                <p id={`${id}-error`} className="field-error">
                  {error.message}
                </p>
              ) : null}
              <p id={`${id}-hint`} className="hint">
                <code>{f.key}</code> · {f.help} {rangeText(f)}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
