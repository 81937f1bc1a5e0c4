using System.Security.Cryptography;
using System.Text;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit.TokenValidation;

/// <summary>
/// ASP.NET Core binds an <c>Authentication:Schemes:Bearer</c> configuration section onto JwtBearer
/// and, when the section has any key, replaces the token validation parameters with ones built from
/// it (none of our issuer, audience or <c>typ</c>; a 5-minute skew). One harmless setting there
/// (here <c>BackchannelTimeout</c>) must neither switch off a strict check nor refuse a valid
/// token, and one that keeps the token around (<c>SaveToken</c>) is overruled.
/// </summary>
public sealed class BearerConfigurationTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly TokenFactory _tokens;
    private readonly WebApplication _host;

    public BearerConfigurationTests()
    {
        var kid = ForgedTokens.RandomKid();
        _tokens = new TokenFactory(_key, kid, ValidationHarness.Issuer, ValidationHarness.Audience);
        // A web application's builder, as a service has: it is what binds the Authentication section.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(ValidationHarness.HostSettings(validationCacheLifetime: TimeSpan.Zero));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:BackchannelTimeout"] = "00:00:07",
            ["Authentication:Schemes:Bearer:SaveToken"] = "true",
        });
        builder.AddTokenValidation();
        _host = builder.Build();
        var trusted = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(JwksDocuments.Set(JwksDocuments.RsaKey(kid, _key))), JwksKeySet.Empty);
        _host.Services.GetRequiredService<JwksKeySource>().Publish(trusted.Keys!);
    }

    public void Dispose()
    {
        ((IDisposable)_host).Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task The_configuration_section_is_applied_and_a_valid_token_still_passes()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), Bearer.BackchannelTimeout);
        Assert.True((await ValidateAsync(_tokens.Create())).IsValid);
    }

    [Fact]
    public void An_accepted_token_is_never_saved_into_the_request_properties()
    {
        Assert.False(Bearer.SaveToken);
    }

    [Theory]
    [InlineData("aud", "orders-api")]
    [InlineData("iss", "http://evil.test")]
    [InlineData("typ", "JWT")]
    [InlineData("exp", "-120")]
    public async Task A_token_a_strict_check_refuses_is_still_refused(string member, string value)
    {
        var header = _tokens.Header();
        var claims = _tokens.Claims();
        switch (member)
        {
            case "typ":
                header["typ"] = value;
                break;
            case "exp":
                // Two minutes past exp: outside the 30 s skew, inside JwtBearer's default 5 minutes.
                claims["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                claims[member] = value;
                break;
        }

        var result = await ValidateAsync(_tokens.Create(header, claims));

        Assert.False(result.IsValid, $"a token with {member} {value} was accepted");
    }

    private JwtBearerOptions Bearer =>
        _host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

    private Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> ValidateAsync(string token)
    {
        var bearer = Bearer;
        return bearer.TokenHandlers.Single().ValidateTokenAsync(token, bearer.TokenValidationParameters.Clone());
    }
}
