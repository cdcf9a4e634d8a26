package dev.keel.simulator;

/** A directive or request the simulator cannot act on; answered as the provider's 400. */
final class InvalidDirectiveException extends RuntimeException {

  InvalidDirectiveException(String message) {
    super(message, null, false, false);
  }
}
