using AspireJwks.Protocol.Jwks;

namespace AspireJwks.Hosting;

/// <summary>
/// A client's keys for <c>private_key_jwt</c>, as parameters named after the client
/// (<c>&lt;name&gt;-key</c>, <c>&lt;name&gt;-jwks</c>; the demo client's are <c>client-key</c> and
/// <c>client-jwks</c>). By default the service gets a key pair made on the first run and kept in the
/// AppHost's user secrets like a client secret (a secret parameter: the dashboard hides it), and
/// auth is told only its public JWK. An operator may instead register public keys of their own in
/// <c>&lt;name&gt;-jwks</c> (two at once for a rollover); the service then signs with
/// <c>&lt;name&gt;-key</c> only if that is set too, else it uses its secret. A bad value stops the
/// AppHost naming the parameter. A parameter the AppHost already has is used as it is. A published manifest always has <c>&lt;name&gt;-jwks</c> for auth,
/// and <c>&lt;name&gt;-key</c> (no default) for the service unless only the JWKS was given.
/// </summary>
/// <param name="Key">The service's private key (PKCS#8 PEM), or null when it has none.</param>
/// <param name="Jwks">The public keys the operator registered, or null: then the public part of <paramref name="Key"/> (never null when publishing).</param>
internal sealed record ClientKeyParameters(IResourceBuilder<ParameterResource>? Key, IResourceBuilder<ParameterResource>? Jwks)
{
    public static ClientKeyParameters Add(IDistributedApplicationBuilder builder, string name)
    {
        var jwksName = $"{name}-jwks";
        var keyName = $"{name}-key";
        IResourceBuilder<ParameterResource>? jwks = null;
        if (builder.IsParameterConfigured(jwksName))
        {
            var value = builder.Configuration[$"Parameters:{jwksName}"]!;
            // The value is never quoted: a JWKS pasted by mistake with private members would end up in the message.
            if (ClientJwks.Read(value).Problem is { } problem)
            {
                throw new InvalidOperationException(
                    $"Parameter '{jwksName}' must be a JSON Web Key Set of public signing keys, each with its kid and alg (RS256, PS256 or ES256), " +
                    $"RSA of 2048 bits or more, no private or symmetric key, no kid twice. {problem}.");
            }
            // Public keys only, so a published manifest may carry them as the default.
            jwks = builder.ExistingParameter(jwksName)
                ?? builder.AddParameter(jwksName, value, publishValueAsDefault: builder.ExecutionContext.IsPublishMode, secret: false);
        }
        IResourceBuilder<ParameterResource>? key = null;
        if (builder.IsParameterConfigured(keyName))
        {
            if (!ClientSigningKey.TryRead(builder.Configuration[$"Parameters:{keyName}"]!, out _, out var problem))
            {
                throw new InvalidOperationException($"Parameter '{keyName}' {problem}.");
            }
            key = builder.ExistingParameter(keyName) ?? builder.AddParameter(keyName, secret: true);
        }
        else if (jwks is null)
        {
            key = builder.ExistingParameter(keyName)
                ?? (builder.ExecutionContext.IsPublishMode
                    ? builder.AddParameter(keyName, secret: true)
                    : builder.AddParameter(keyName, new GeneratedClientKey(), secret: true, persist: true));
        }
        if (jwks is null && builder.ExecutionContext.IsPublishMode)
        {
            // A run derives auth's copy from the key's value; a published manifest has no value to
            // derive from, so the operator gives auth the public half of the key they provide.
            jwks = builder.ExistingParameter(jwksName) ?? builder.AddParameter(jwksName, secret: false);
        }
        return new ClientKeyParameters(key, jwks);
    }

    /// <summary>A new EC P-256 key pair, made the first time the AppHost runs and then kept in its user secrets.</summary>
    private sealed class GeneratedClientKey : ParameterDefault
    {
        public override string GetDefaultValue() => ClientSigningKey.Create();

        // Only a run makes a key. A published manifest names the parameter with no default and
        // the operator provides the key; an empty "default" object would make the manifest invalid.
        public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context) =>
            throw new InvalidOperationException("A generated client key is never published: the operator provides it.");
    }
}
