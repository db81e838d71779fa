/** One email with a plain-text and an HTML part (multipart/alternative). */
export interface MailMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header fields, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();
const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A header value as RFC 2047 encoded words where it is not plain ASCII; never a line break (no header injection). */
export function encodeHeaderValue(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  if (isAscii(flat)) return flat;
  const words: string[] = [];
  let chunk = '';
  for (const char of flat) {
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64(encoder.encode(word))}?=`).join(`${CRLF} `);
}

function part(contentType: string, body: string): string {
  const lines = body.replace(/\r?\n/g, '\n').split('\n');
  // The text part stays readable in the raw message (its links can be copied from the file); lines over
  // SMTP's limit, and the HTML (one long line), go as base64.
  if (contentType.startsWith('text/plain') && lines.every((line) => encoder.encode(line).length <= 998)) {
    return [
      `Content-Type: ${contentType}; charset=utf-8`,
      `Content-Transfer-Encoding: ${isAscii(body.replace(/\s/g, ' ')) ? '7bit' : '8bit'}`,
      '',
      lines.join(CRLF),
    ].join(CRLF);
  }
  const encoded = base64(encoder.encode(body)).replace(/.{76}(?=.)/g, `$&${CRLF}`);
  return [`Content-Type: ${contentType}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', encoded].join(CRLF);
}

/** The raw RFC 5322 message, as `new EmailMessage(from, to, raw)` takes it. */
export function buildMimeMessage(message: MailMessage, { messageId, date }: { messageId: string; date: Date }): string {
  const boundary = `=_edgepress_${crypto.randomUUID()}`;
  const headers: Record<string, string> = {
    From: `${isAscii(message.from.name) ? JSON.stringify(message.from.name) : encodeHeaderValue(message.from.name)} <${message.from.address}>`,
    To: message.to,
    Subject: encodeHeaderValue(message.subject),
    Date: date.toUTCString(),
    'Message-ID': `<${messageId}@${message.from.address.split('@')[1]}>`,
    'MIME-Version': '1.0',
    ...Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([name, value]) => [name, encodeHeaderValue(value)]),
    ),
    'Content-Type': `multipart/alternative; boundary="${boundary}"`,
  };
  return [
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    `--${boundary}`,
    part('text/plain', message.text),
    `--${boundary}`,
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}
