// The fields of an event's JSON Schema as a flat list, for the variable palette and the catalog.

/**
 * Each field: path (a.b, list[].c), name, depth, type, required, description, enum values.
 * Arrays of objects give their items' fields under "list[]".
 */
export function fields(schema, prefix = '', depth = 0, out = []) {
  const props = schema?.properties || {};
  const required = new Set(schema?.required || []);
  for (const [name, field] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const type = typeOf(field);
    out.push({
      path,
      name,
      depth,
      type,
      required: required.has(name),
      description: field.description || '',
      values: Array.isArray(field.enum) ? field.enum : [],
      format: field.format || '',
    });
    if (type === 'object') fields(field, path, depth + 1, out);
    if (type === 'array' && field.items && typeOf(field.items) === 'object') {
      fields(field.items, `${path}[]`, depth + 1, out);
    }
  }
  return out;
}

function typeOf(field) {
  if (!field) return 'any';
  if (Array.isArray(field.type)) return field.type.filter((t) => t !== 'null').join(' | ') || 'null';
  if (field.type) return field.type;
  if (field.properties) return 'object';
  if (field.items) return 'array';
  return 'any';
}

/** The template text a click on a field inserts: loops for the fields of list items. */
export function snippet(path) {
  const parts = path.split('[].');
  if (parts.length === 1) return `{{${path}}}`;
  // a[].b[].c → {{#each a}}{{#each b}}{{c}}{{/each}}{{/each}}
  let open = '';
  let close = '';
  for (const list of parts.slice(0, -1)) {
    open += `{{#each ${list}}}`;
    close = `{{/each}}${close}`;
  }
  return `${open}{{${parts.at(-1)}}}${close}`;
}

/** The event metadata every template can read. */
export const METADATA = [
  { path: '@event.id', key: 'palette.meta.eventId' },
  { path: '@event.type', key: 'palette.meta.eventType' },
  { path: '@event.occurredAt', key: 'palette.meta.occurredAt' },
  { path: '@account.id', key: 'palette.meta.accountId' },
  { path: '@account.name', key: 'palette.meta.accountName' },
  { path: '@delivery.id', key: 'palette.meta.deliveryId' },
];
