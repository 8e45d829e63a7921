// A tiny SMTP server for the browser tests: 127.0.0.1, a free port, no TLS,
// no AUTH. Every message it accepts is parsed (mailparser) and kept in memory
// as {from, fromName, to, subject, text, html, date} for the scenario to read.
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'

/** Start a sink; resolves to {port, messages, waitFor(pred, what, ms), clear(), close()}. */
export async function startSmtpSink() {
  const messages = []
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    banner: 'castdesk e2e sink',
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const from = mail.from?.value?.[0] ?? {}
          messages.push({
            from: from.address ?? '',
            fromName: from.name ?? '',
            to: (mail.to?.value ?? []).map((a) => a.address),
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            date: mail.date ?? new Date(),
          })
          callback()
        })
        .catch((err) => callback(err))
    },
  })
  await new Promise((res, rej) => {
    server.once('error', rej)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', rej)
      res()
    })
  })
  server.on('error', () => {})
  const port = server.server.address().port

  /** Wait for a message matching pred (polls; the outbox worker sends in the background). */
  async function waitFor(pred, what, ms = 20000) {
    const deadline = Date.now() + ms
    for (;;) {
      const m = messages.find(pred)
      if (m) return m
      if (Date.now() > deadline) {
        throw new Error(`the SMTP sink got no message matching ${what} within ${ms} ms; it has: ${JSON.stringify(messages.map((x) => ({ to: x.to, subject: x.subject })))}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  return {
    port,
    messages,
    waitFor,
    clear: () => messages.splice(0, messages.length),
    close: () => new Promise((res) => server.close(() => res())),
  }
}
