global using NeuroCore.Tests.Infrastructure;
global using NeuroCore.Viewer.Tests.Infrastructure;
