// The README's quickstart as a console app: dotnet run -c Release --project samples/Quickstart
NeuroCore.Samples.QuickstartSample.Run();
