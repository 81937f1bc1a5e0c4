using AspireJwks.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var demo = DemoParameters.Add(builder);

var bootstrapper = builder.AddProject<Projects.AspireJwks_Bootstrapper>("bootstrapper")
    .AsKeyStore();

var auth = builder.AddProject<Projects.AspireJwks_Auth>("auth")
    .WithEndpoint("http", endpoint => endpoint.Port = 3001)
    .WithReplicas(demo.AuthReplicas)
    .AsTokenIssuer(bootstrapper)
    .WithTraceSampling(demo.TraceSamplingRatio);

var api = builder.AddProject<Projects.AspireJwks_Api>("api")
    .WithEndpoint("http", endpoint => endpoint.Port = 3002)
    .WithReplicas(demo.ApiReplicas)
    .WithTokenValidation(auth, audience: "aspirejwks-api", "api.read")
    .RequireDPoP(demo.ApiRequireDPoP)
    .WithTraceSampling(demo.TraceSamplingRatio);

builder.AddProject<Projects.AspireJwks_Client>("client")
    .WithClientCredentials(auth, demo.ClientId, demo.ClientSecret, "api.read")
    .WithDemoCredentials(demo.ClientAuthentication, demo.ClientDPoP)
    .WithRunInterval(demo.ClientInterval)
    .WithReference(api)
    .WaitFor(api);

builder.Build().Run();
