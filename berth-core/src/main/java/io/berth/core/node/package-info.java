/**
 * The nodes serving one database: heartbeats each {@code berth serve} writes, and what {@code berth admin nodes}
 * lists from them (issue 11 §2). Nodes coordinate through the database only; nothing here talks node to node.
 */
package io.berth.core.node;
