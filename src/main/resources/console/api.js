// The RPC API as the console calls it: POST / with a form body, signed (RPC signature 1.0,
// HMAC-SHA1 with WebCrypto) when the service has AccessKeys. The secret stays in sessionStorage.

const VERSION = '2020-11-09';

/** Alibaba Cloud's percent-encoding (RFC 3986: also ! ' ( ) *). */
function percentEncode(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function credentials() {
  const id = sessionStorage.getItem('accessKeyId');
  const secret = sessionStorage.getItem('accessKeySecret');
  return id && secret ? { id, secret } : null;
}

export function signIn(id, secret) {
  sessionStorage.setItem('accessKeyId', id);
  sessionStorage.setItem('accessKeySecret', secret);
}

export function signOut() {
  sessionStorage.removeItem('accessKeyId');
  sessionStorage.removeItem('accessKeySecret');
}

async function sign(parameters, secret) {
  const canonical = Object.keys(parameters).sort()
      .map(k => percentEncode(k) + '=' + percentEncode(parameters[k])).join('&');
  const stringToSign = 'POST&' + percentEncode('/') + '&' + percentEncode(canonical);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret + '&'),
      { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(stringToSign));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

/** An API error: its Code and Message as the service answered them. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls an action; resolves to the reply's JSON, rejects with an ApiError. */
export async function call(action, parameters = {}) {
  const p = { Action: action, Version: VERSION, Format: 'JSON' };
  for (const [k, v] of Object.entries(parameters)) {
    if (v !== undefined && v !== null && v !== '') p[k] = String(v);
  }
  const who = credentials();
  if (who) {
    p.AccessKeyId = who.id;
    p.SignatureMethod = 'HMAC-SHA1';
    p.SignatureVersion = '1.0';
    p.SignatureNonce = crypto.randomUUID();
    p.Timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    p.Signature = await sign(p, who.secret);
  }
  const body = Object.keys(p).map(k => percentEncode(k) + '=' + percentEncode(p[k])).join('&');
  const response = await fetch('/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body
  });
  const json = await response.json();
  if (!response.ok) {
    throw new ApiError(response.status, json.Code, json.Message);
  }
  return json;
}

/** Codes that mean "sign in (again)". */
export const ACCESS_CODES = new Set(['IncompleteSignature', 'SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound',
  'InvalidTimeStamp.Expired', 'InvalidTimeStamp.Format', 'MissingParameter']);
