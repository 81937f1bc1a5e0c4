using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Protocol.Jwks;

/// <summary>
/// A public key that passed every check for its one algorithm, ready to verify signatures: a key of
/// the issuer's JWKS, a client's registered key for its assertions, or the key of a DPoP proof.
/// </summary>
/// <param name="Kid">The key's id: the JWK's <c>kid</c>, or the RFC 7638 thumbprint of a key that came without one.</param>
/// <param name="Algorithm">The one algorithm the key verifies.</param>
/// <param name="SecurityKey">The key, of the type and size its algorithm needs.</param>
/// <param name="Material">The public key's defining bytes (RSA n and e, EC x and y), to recognise the same key in the next fetch.</param>
internal sealed record VerificationKey(string Kid, string Algorithm, AsymmetricSecurityKey SecurityKey, byte[] Material);

/// <summary>The keys the API trusts at one moment, by kid. Immutable: a refresh publishes a new set.</summary>
internal sealed class JwksKeySet
{
    public static readonly JwksKeySet Empty = new([]);

    private readonly FrozenDictionary<string, VerificationKey> _keys;

    public JwksKeySet(IEnumerable<VerificationKey> keys) =>
        _keys = keys.ToFrozenDictionary(key => key.Kid, StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<string> Kids => _keys.Keys;

    public bool TryGet(string kid, [MaybeNullWhen(false)] out VerificationKey key) => _keys.TryGetValue(kid, out key);

    /// <summary>This set without the keys whose kids <paramref name="kids"/> names.</summary>
    public JwksKeySet Without(IReadOnlySet<string> kids) =>
        kids.Overlaps(_keys.Keys) ? new JwksKeySet(_keys.Values.Where(key => !kids.Contains(key.Kid))) : this;

    /// <summary>Whether <paramref name="key"/> itself (not just its kid) is still trusted.</summary>
    public bool Holds(VerificationKey key) => _keys.TryGetValue(key.Kid, out var current) && ReferenceEquals(current, key);
}
