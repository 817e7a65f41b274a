global using NeuroCore.Tests.Infrastructure;
global using NeuroCore.Service.Tests.Infrastructure;
