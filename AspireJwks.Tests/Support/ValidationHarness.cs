using System.Text;
using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The API's token validation without a host: the same reader, trusted keys, token handler and
/// JwtBearer parameters the service builds, on a clock the test controls.
/// </summary>
internal sealed class ValidationHarness : IDisposable
{
    public const string Issuer = "http://auth.test";
    public const string Audience = "aspirejwks-api";
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public ValidationHarness(TimeProvider clock, TimeSpan? refreshInterval = null, TimeSpan? validationCacheLifetime = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new TokenValidationOptions
        {
            Issuer = Issuer,
            Audience = Audience,
            Authority = Issuer,
            JwksRefreshInterval = refreshInterval ?? DefaultRefreshInterval,
            ClockSkew = ClockSkew,
            ValidationCacheLifetime = validationCacheLifetime ?? TimeSpan.Zero,
        });
        Keys = new JwksKeySource(Options, clock);
        Handler = new AccessTokenHandler(new AccessTokenReader(Options, clock), Keys, clock);
        var bearer = new JwtBearerOptions();
        new ConfigureJwtBearer(Options, Handler).PostConfigure(JwtBearerDefaults.AuthenticationScheme, bearer);
        Parameters = bearer.TokenValidationParameters;
    }

    /// <summary>The settings the AppHost gives an API (the <c>TokenValidation</c> section), for a host built with <c>AddTokenValidation</c>.</summary>
    public static Dictionary<string, string?> HostSettings(TimeSpan validationCacheLifetime) => new()
    {
        ["TokenValidation:Issuer"] = Issuer,
        ["TokenValidation:Audience"] = Audience,
        ["TokenValidation:Authority"] = Issuer,
        ["TokenValidation:JwksRefreshInterval"] = Setting(DefaultRefreshInterval),
        ["TokenValidation:ClockSkew"] = Setting(ClockSkew),
        ["TokenValidation:ValidationCacheLifetime"] = Setting(validationCacheLifetime),
    };

    private static string Setting(TimeSpan value) => value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    public IOptions<TokenValidationOptions> Options { get; }

    public JwksKeySource Keys { get; }

    public AccessTokenHandler Handler { get; }

    public TokenValidationParameters Parameters { get; }

    /// <summary>Trusts the keys of <paramref name="jwks"/> as a refresh would; the document must be accepted.</summary>
    public void Trust(string jwks)
    {
        var result = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(jwks), Keys.Current);
        Keys.Publish(result.Keys ?? throw new InvalidOperationException(result.Refusal));
    }

    /// <summary>Validates as JwtBearer would: a copy of the parameters per token.</summary>
    public Task<TokenValidationResult> ValidateAsync(string token) => Handler.ValidateTokenAsync(token, Parameters.Clone());

    public void Dispose() => Keys.Dispose();
}
