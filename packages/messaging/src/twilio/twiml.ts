// TwiML answers to Twilio's messaging webhook, built with the SDK's MessagingResponse (it escapes
// the text): an empty <Response/> says "received, nothing to send"; a <Message> replies.
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

export function twimlReply(text: string | null): string {
  const response = new MessagingResponse();
  if (text !== null) response.message(text);
  return response.toString();
}

/** A Response with the TwiML content type Twilio expects. */
export function twimlResponse(text: string | null, status = 200): Response {
  return new Response(twimlReply(text), {
    status,
    headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' },
  });
}
