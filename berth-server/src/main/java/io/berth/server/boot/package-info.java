/**
 * The one assembly of a running Berth. Read {@link io.berth.server.boot.BerthApp} top-down: the stores
 * ({@link io.berth.server.boot.Stores}), identities and authentication, the two planes on the one port, the
 * background services ({@link io.berth.server.boot.BackgroundService}, each on its own bounded executor), the server.
 * The commands in {@code cli} and the integration tests start it; nothing it builds depends back on it.
 */
package io.berth.server.boot;
