/** C2SP signed notes and tlog checkpoints with Ed25519 (pure; node:crypto only). */
export * from './note-keys';
export * from './signed-note';
export * from './checkpoint';
