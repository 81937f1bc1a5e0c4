using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Api.Telemetry;

/// <summary>The token JwtBearer parsed for this request, kept so telemetry can read its kid and alg without parsing it again.</summary>
public sealed record ValidatedTokenFeature(JsonWebToken Token);

/// <summary>
/// Chains onto whatever <c>OnTokenValidated</c> the JwtBearer set-up has, after it is configured,
/// so the validation rules stay in one place and telemetry only watches.
/// </summary>
internal sealed class ValidatedTokenCapture : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        options.Events ??= new JwtBearerEvents();
        var inner = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = context =>
        {
            // Captured before the inner handler, which may still refuse the token: the refusal's log line needs the kid too.
            if (context.SecurityToken is JsonWebToken token)
            {
                context.HttpContext.Features.Set(new ValidatedTokenFeature(token));
            }
            return inner(context);
        };
    }
}
