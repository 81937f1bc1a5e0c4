// An independent OAuth client against AspireJwks: discovery, the client credentials grant with
// private_key_jwt (RFC 7523), a DPoP-bound token (RFC 9449), and a DPoP call to the API, all done
// by oauth4webapi. Prints one JSON line with what it saw (never a token); exits 0 only if the
// token is DPoP-bound and the API answered 200.
//   ISSUER, API_URL, CLIENT_ID, CLIENT_KEY_PEM (PKCS#8 EC P-256), SCOPE (default api.read)
import * as oauth from 'oauth4webapi';

const issuer = new URL(process.env.ISSUER);
const api = new URL(process.env.API_URL);
const clientId = process.env.CLIENT_ID;
const scope = process.env.SCOPE ?? 'api.read';
// The system runs on plain http here (no dev certificate); oauth4webapi asks for an explicit opt-in.
const insecure = { [oauth.allowInsecureRequests]: true };

const der = Buffer.from(process.env.CLIENT_KEY_PEM.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const clientKey = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
const client = { client_id: clientId };
const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
const clientAuth = oauth.PrivateKeyJwt(clientKey);

// The library leaves nonce retries to its caller: one retry, as its documentation shows.
async function withNonceRetry(request) {
  try {
    return await request();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return await request();
    throw error;
  }
}

const token = await withNonceRetry(async () => oauth.processClientCredentialsResponse(as, client,
  await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ scope }), { DPoP: dpop, ...insecure })));

const response = await withNonceRetry(() =>
  oauth.protectedResourceRequest(token.access_token, 'GET', api, new Headers(), null, { DPoP: dpop, ...insecure }));
const body = await response.text();

console.log(JSON.stringify({ token_type: token.token_type, expires_in: token.expires_in, status: response.status, body }));
process.exit(token.token_type === 'dpop' && response.status === 200 ? 0 : 1);
