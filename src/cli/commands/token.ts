import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, dbPath, loadOrReport } from '../config-file.ts';

const SCOPES = ['ingest', 'read', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Create, list or revoke API tokens',
  usage: `Usage: ecotone token create --name NAME --scope SCOPE [--scope SCOPE] [--participant ID]
       ecotone token list
       ecotone token revoke ID|NAME

Tokens authenticate requests with "Authorization: Bearer <token>". Scopes: ingest (POST /v1/traces
and /v1/events), read (API reads, and /metrics when protected), admin (API writes; includes read).
A token bound to a participant may only send that participant's events. The token is printed once,
on creation; only its SHA-256 is stored. A revoked token stops working within 5 seconds.

Options:
  -c, --config FILE      the ecosystem.yaml whose store to use (default: $ECOTONE_CONFIG or ./ecosystem.yaml)
      --db PATH          SQLite file (default: settings.storage.path of the config)
      --name NAME        what the token is for, e.g. partner-x (create)
      --scope SCOPE      ingest, read or admin; repeat for several (create)
      --participant ID   bind the token to this participant (create)
  -h, --help             show this help`,
  options: {
    config: { type: 'string', short: 'c' },
    db: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    participant: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action !== 'create' && action !== 'list' && action !== 'revoke')
      throw new UsageError('expected "create", "list" or "revoke"');
    const scopes = (values.scope as string[] | undefined) ?? [];
    const name = values.name as string | undefined;
    if (action === 'create') {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      if (!name?.trim()) throw new UsageError('create needs --name');
      if (scopes.length === 0)
        throw new UsageError('create needs at least one --scope (ingest, read or admin)');
      const unknown = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
      if (unknown) throw new UsageError(`unknown scope "${unknown}" (expected ingest, read or admin)`);
    } else if (action === 'revoke' && rest.length !== 1)
      throw new UsageError('revoke needs one token id or name');
    else if (action === 'list' && rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

    const config = await loadOrReport(configPath(values.config as string | undefined, io), io);
    if (!config) return EXIT.failure;
    const participant = values.participant as string | undefined;
    if (participant !== undefined && !config.participants.some((p) => p.id === participant)) {
      io.stderr(`ecotone token: no participant "${participant}" in ${config.file}\n`);
      return EXIT.failure;
    }
    const db = values.db as string | undefined;
    const path = db === undefined ? config.settings.storage.path : dbPath(db, io);
    const [{ openStore }, { createToken }] = await Promise.all([
      import('../../../db/index.ts'),
      import('../../auth/index.ts'),
    ]);
    const store = openStore({
      path,
      busyTimeout: config.settings.storage.busyTimeout,
      synchronous: config.settings.storage.synchronous,
    });
    try {
      if (action === 'create') {
        const { token, record } = await createToken(store, {
          name: (name as string).trim(),
          scopes: scopes as Scope[],
          participantId: participant,
        });
        io.stderr(
          `created ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}${
            record.participantId ? ` bound to participant ${record.participantId}` : ''
          }; the token is shown only now:\n`,
        );
        io.stdout(`${token}\n`);
        return EXIT.ok;
      }
      if (action === 'revoke') {
        const n = await store.revokeApiToken(rest[0] as string, Date.now());
        if (n === 0) {
          io.stderr(`ecotone token: no active token with id or name "${rest[0]}"\n`);
          return EXIT.failure;
        }
        io.stdout(`revoked ${n} token${n === 1 ? '' : 's'}\n`);
        return EXIT.ok;
      }
      const tokens = await store.listApiTokens();
      const rows = [
        ['ID', 'NAME', 'SCOPES', 'PARTICIPANT', 'CREATED', 'REVOKED'],
        ...tokens.map((t) => [
          t.id,
          t.name,
          t.scopes.join(','),
          t.participantId ?? '-',
          iso(t.createdAt),
          iso(t.revokedAt),
        ]),
      ];
      const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
      for (const row of rows)
        io.stdout(
          `${row
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
        );
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
