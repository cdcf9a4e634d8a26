package dev.keel.sdk;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Runs application work inside an observation, recording result, exception and duration. */
final class Observing {

  private Observing() {
  }

  static <T> T supply(Observation step, Supplier<T> work) {
    try {
      T result = work.get();
      step.output(result);
      return result;
    } catch (RuntimeException | Error e) {
      step.recordError(e);
      throw e;
    } finally {
      step.end();
    }
  }

  static void run(Observation step, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      step.recordError(e);
      throw e;
    } finally {
      step.end();
    }
  }

  static <T> T call(Observation step, Callable<T> work) throws Exception {
    try {
      T result = work.call();
      step.output(result);
      return result;
    } catch (Exception | Error e) {
      step.recordError(e);
      throw e;
    } finally {
      step.end();
    }
  }
}
