return NeuroCore.Cli.CliApp.Run(args);
