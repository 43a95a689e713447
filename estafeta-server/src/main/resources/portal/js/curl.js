// "Copy as curl": the request of an attempt as a shell command a developer can paste.

/** Headers as a list of {name, value}, whether they came as a list or as an object. */
export function headerList(headers) {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers;
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function quote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

export function curl(request) {
  const lines = [`curl -X ${request.method} ${quote(request.url)}`];
  for (const header of headerList(request.headers)) {
    lines.push(`  -H ${quote(`${header.name}: ${header.value}`)}`);
  }
  if (request.body !== null && request.body !== undefined && request.body !== '') {
    lines.push(`  --data-binary ${quote(request.body)}`);
  }
  return lines.join(' \\\n');
}
