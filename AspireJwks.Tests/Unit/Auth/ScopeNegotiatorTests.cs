using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Tokens;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>
/// The negotiation table of <c>POST /token</c>: which API a token is for and which scopes it
/// carries, for every combination of <c>scope</c> and <c>resource</c>.
/// </summary>
public sealed class ScopeNegotiatorTests
{
    private static readonly IssuerRegistry Registry = new(Microsoft.Extensions.Options.Options.Create(new AuthOptions
    {
        Apis =
        [
            new ApiSettings { Audience = "orders-api", Scopes = ["orders.write", "orders.read"] },
            new ApiSettings { Audience = "reports-api", Scopes = ["reports.read"] },
            new ApiSettings { Audience = "billing-api", Scopes = ["billing.read"] },
        ],
        Clients =
        [
            new ClientSettings { ClientId = "orders-client", Scopes = ["orders.write", "orders.read"] },
            new ClientSettings { ClientId = "multi-client", Scopes = ["reports.read", "orders.read"] },
        ],
    }));

    private static readonly RegisteredClient OrdersClient = Registry.FindClient("orders-client")!;
    private static readonly RegisteredClient MultiClient = Registry.FindClient("multi-client")!;

    private readonly ScopeNegotiator _negotiator = new(Registry);

    [Fact]
    public void A_requested_scope_names_the_api_that_owns_it()
    {
        Assert.Equal(new ScopeGrant("orders-api", "orders.read"), Grant(OrdersClient, "orders.read", null));
    }

    [Fact]
    public void Granted_scopes_are_each_listed_once_in_ordinal_order_whatever_the_request_order()
    {
        Assert.Equal(new ScopeGrant("orders-api", "orders.read orders.write"),
            Grant(OrdersClient, "  orders.write orders.read  orders.write ", null));
    }

    [Fact]
    public void No_scope_and_no_resource_grants_all_the_clients_scopes_when_they_belong_to_one_api()
    {
        Assert.Equal(new ScopeGrant("orders-api", "orders.read orders.write"), Grant(OrdersClient, null, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_scope_is_no_scope(string scope)
    {
        Assert.Equal(new ScopeGrant("orders-api", "orders.read orders.write"), Grant(OrdersClient, scope, ""));
    }

    [Fact]
    public void No_scope_and_no_resource_is_invalid_scope_when_the_clients_scopes_belong_to_two_apis()
    {
        var error = Refusal(MultiClient, null, null);

        Assert.Equal(OAuthErrorCodes.InvalidScope, error.Error);
        Assert.Contains("name a scope or a resource", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_without_a_scope_grants_the_clients_scopes_of_that_api()
    {
        Assert.Equal(new ScopeGrant("reports-api", "reports.read"), Grant(MultiClient, null, "reports-api"));
        Assert.Equal(new ScopeGrant("orders-api", "orders.read"), Grant(MultiClient, null, "orders-api"));
    }

    [Fact]
    public void A_resource_with_its_own_scope_is_granted()
    {
        Assert.Equal(new ScopeGrant("orders-api", "orders.read"), Grant(MultiClient, "orders.read", "orders-api"));
    }

    [Fact]
    public void A_resource_of_which_the_client_has_no_scope_is_invalid_scope()
    {
        Assert.Equal(OAuthErrorCodes.InvalidScope, Refusal(MultiClient, null, "billing-api").Error);
    }

    [Fact]
    public void A_resource_whose_scopes_do_not_include_the_requested_ones_is_invalid_scope()
    {
        Assert.Equal(OAuthErrorCodes.InvalidScope, Refusal(MultiClient, "orders.read", "reports-api").Error);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("ORDERS-API")]
    [InlineData("orders-api ")]
    public void An_unknown_resource_is_invalid_target_whatever_the_scope(string resource)
    {
        Assert.Equal(OAuthErrorCodes.InvalidTarget, Refusal(OrdersClient, null, resource).Error);
        Assert.Equal(OAuthErrorCodes.InvalidTarget, Refusal(OrdersClient, "orders.read", resource).Error);
    }

    [Fact]
    public void Scopes_of_two_apis_in_one_request_are_invalid_scope_even_when_the_client_has_both()
    {
        Assert.Equal(OAuthErrorCodes.InvalidScope, Refusal(MultiClient, "orders.read reports.read", null).Error);
    }

    [Fact]
    public void A_scope_of_another_api_that_the_client_may_not_have_is_invalid_scope_naming_the_registered_scope()
    {
        var error = Refusal(OrdersClient, "orders.read reports.read", null);

        Assert.Equal(OAuthErrorCodes.InvalidScope, error.Error);
        Assert.Contains("'reports.read'", error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders.admin")]
    [InlineData("ORDERS.READ")]
    [InlineData("orders.read\torders.write")]
    public void A_scope_no_api_owns_is_invalid_scope(string scope)
    {
        Assert.Equal(OAuthErrorCodes.InvalidScope, Refusal(OrdersClient, scope, null).Error);
    }

    [Fact]
    public void A_scope_the_client_may_not_have_is_refused_even_with_its_apis_resource()
    {
        Assert.Equal(OAuthErrorCodes.InvalidScope, Refusal(OrdersClient, "billing.read", "billing-api").Error);
    }

    [Theory]
    [InlineData("<script>\"attacker\"\\</script>", null)]
    [InlineData("evil\r\nInjected: header", null)]
    [InlineData("orders.read", "http://evil.example/\u0000\u001b[31m")]
    [InlineData(null, "<script>\"attacker\"</script>")]
    [InlineData("orders.read reports.read", null)]
    [InlineData(null, "billing-api")]
    public void Error_descriptions_never_echo_the_request_and_keep_to_the_rfc_6749_character_set(string? scope, string? resource)
    {
        foreach (var client in new[] { OrdersClient, MultiClient })
        {
            var error = Refusal(client, scope, resource);

            // RFC 6749 5.2: error_description is %x20-21 / %x23-5B / %x5D-7E.
            Assert.All(error.Description, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"character U+{(int)c:X4}"));
            Assert.InRange(error.Description.Length, 1, 100);
            Assert.DoesNotContain("evil", error.Description, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("script", error.Description, StringComparison.OrdinalIgnoreCase);
        }
    }

    private ScopeGrant Grant(RegisteredClient client, string? scope, string? resource)
    {
        var result = _negotiator.Negotiate(client, scope, resource);
        Assert.Null(result.Error);
        return result.Value!;
    }

    private OAuthError Refusal(RegisteredClient client, string? scope, string? resource)
    {
        var result = _negotiator.Negotiate(client, scope, resource);
        Assert.Null(result.Value);
        return result.Error!;
    }
}
