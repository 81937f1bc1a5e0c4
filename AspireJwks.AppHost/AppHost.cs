using AspireJwks.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var parameters = AppHostParameters.Add(builder);

var bootstrapper = builder.AddProject<Projects.AspireJwks_Bootstrapper>("bootstrapper")
    .WithKeyStoreInit(parameters.Keys)
    .WithKeyCommands(parameters.Keys);

var auth = builder.AddProject<Projects.AspireJwks_Auth>("auth")
    .WithEndpoint("http", endpoint => endpoint.Port = 3001)
    .WithReplicas(parameters.AuthReplicas)
    .AsTokenIssuer(parameters)
    .WithTraceSampling(parameters.TraceSamplingRatio)
    .WithHttpHealthCheck("/health")
    .WaitForCompletion(bootstrapper);

var api = builder.AddProject<Projects.AspireJwks_Api>("api")
    .WithEndpoint("http", endpoint => endpoint.Port = 3002)
    .WithReplicas(parameters.ApiReplicas)
    .WithTokenValidation(auth, audience: "aspirejwks-api", "api.read")
    .RequireDPoP(parameters.ApiRequireDPoP)
    .WithTraceSampling(parameters.TraceSamplingRatio)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.AspireJwks_Client>("client")
    .WithClientCredentials(auth, parameters.ClientId, parameters.ClientSecret, "api.read")
    .WithDemoCredentials(parameters.ClientAuthentication, parameters.ClientDPoP)
    .WithRunInterval(parameters.ClientInterval)
    .WithReference(api)
    .WaitFor(api);

builder.Build().Run();
