/** Fills ${NAME} placeholders of a template; an unknown placeholder is an error, not a blank. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder \${${name}} has no value`);
    return String(value);
  });
}
