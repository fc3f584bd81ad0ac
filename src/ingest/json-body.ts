/** JSON.parse of a body, as a decode error (400) when it is not JSON. */
export function parseJson(body: Uint8Array): unknown {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonBodyError(`body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A body that is not JSON where JSON was announced: 400. */
export class JsonBodyError extends Error {
  override name = 'JsonBodyError';
}
