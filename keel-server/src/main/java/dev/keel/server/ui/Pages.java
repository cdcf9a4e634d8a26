package dev.keel.server.ui;

import dev.keel.gateway.auth.KeyService;
import dev.keel.prompts.PromptService;
import dev.keel.store.Store;
import java.time.Clock;

/** Every page of the UI, wired to the stores and services it reads. */
final class Pages {

  /** The UI shows the default project, the one the master key acts in. */
  static final String PROJECT = KeyService.DEFAULT_PROJECT;

  private final Store store;
  private final KeyService keys;
  private final PromptService prompts;
  private final Clock clock;
  private final SettingsPage.Context settings;

  Pages(Store store, KeyService keys, PromptService prompts, Clock clock,
      SettingsPage.Context settings) {
    this.store = store;
    this.keys = keys;
    this.prompts = prompts;
    this.clock = clock;
    this.settings = settings;
  }

  void register(UiRoutes.Router r) {
    new OverviewPage(store, clock).register(r);
    new TracesPage(store).register(r);
    new TracePage(store).register(r);
    new SessionsPage(store).register(r);
    new PromptsPage(prompts).register(r);
    new DatasetsPage(store).register(r);
    new CostPage(store, clock).register(r);
    new SettingsPage(keys, store, clock, settings).register(r);
  }
}
