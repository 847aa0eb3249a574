/**
 * The {@code berth} commands that {@link io.berth.server.Main} runs: {@code serve} loads the configuration and starts
 * a {@link io.berth.server.boot.BerthApp}; {@code gc} and {@code admin} (with {@code audit} and {@code prune-audit})
 * open only its stores, against the same data directory and database, safe while {@code serve} runs.
 */
package io.berth.server.cli;
