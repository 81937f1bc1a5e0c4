var builder = DistributedApplication.CreateBuilder(args);

var keys = builder.AddProject<Projects.Shop_Keys>("keys").AsKeyStore();
var auth = builder.AddProject<Projects.Shop_Issuer>("auth").AsTokenIssuer(keys);
var orders = builder.AddProject<Projects.Shop_Orders>("orders")
    .WithTokenValidation(auth, audience: "orders-api", "orders.read");
builder.AddProject<Projects.Shop_Billing>("billing")
    .WithTokenValidation(auth, audience: "billing-api", "billing.read");
builder.AddProject<Projects.Shop_Reporter>("reporter")
    .WithClientCredentials(auth, clientId: "reporter", "orders.read", "billing.read")
    .WithReference(orders).WaitFor(orders);

builder.Build().Run();
