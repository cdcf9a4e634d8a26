package dev.keel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keel} command: one binary, a subcommand per job, {@code --help} on each. */
@Command(name = "keel", mixinStandardHelpOptions = true, version = "keel 0.1.0",
    description = "Keel: a self-hosted LLMOps platform (gateway, tracing, pricing).",
    subcommands = {ServeCommand.class, SimulateCommand.class, PricesCommand.class,
        BenchCommand.class, PromptCommand.class, KeysCommand.class, BudgetCommand.class,
        EvalCommand.class, DatasetCommand.class,
        CostCommand.class})
public final class KeelCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.init();
    int code = new CommandLine(new KeelCommand())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + (e.getMessage() == null ? e.toString()
              : e.getMessage()));
          return 1;
        })
        .execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
