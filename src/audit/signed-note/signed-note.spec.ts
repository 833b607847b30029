import {
  NoteError,
  createSigner,
  ed25519PrivateKeyObject,
  formatCheckpoint,
  formatVerifierKey,
  generateSigner,
  keyIdHex,
  noteKeyId,
  openNote,
  parseCheckpoint,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyCheckpoint,
} from './index';
import { ENOCH_SIG, ENOCH_VKEY, PETER_SIG, PETER_SKEY, PETER_VKEY, TEXT } from './note-vectors.spec-helper';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof NoteError ? error.code : (error as Error).message;
  }
};

describe('signed notes (C2SP signed-note; golang.org/x/mod/sumdb/note vectors)', () => {
  it('parses the published verifier key, and its key id is SHA-256(name ‖ \\n ‖ 0x01 ‖ key)[:4]', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(peter.name).toBe('PeterNeumann');
    expect(keyIdHex(peter.keyId)).toBe('c74f20a3');
    expect(keyIdHex(noteKeyId('PeterNeumann', peter.publicKey))).toBe('c74f20a3');
    expect(formatVerifierKey('PeterNeumann', peter.publicKey)).toBe(PETER_VKEY);
    expect(keyIdHex(parseVerifierKey(ENOCH_VKEY).keyId)).toBe('af0cfe78');
  });

  it('refuses mangled verifier keys (every truncation and every changed character)', () => {
    const accepted: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        const k = PETER_VKEY.slice(i, j);
        if (codeOf(() => parseVerifierKey(k)) === undefined) accepted.push(k);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const k =
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      if (codeOf(() => parseVerifierKey(k)) === undefined) accepted.push(k);
    }
    expect(accepted).toEqual([]);
    // Wrong key length, and an unknown algorithm, each with a matching key id.
    expect(
      codeOf(() =>
        parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      ),
    ).toBeDefined();
    expect(
      codeOf(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    ).toBeDefined();
  });

  it('signs the published text with the published key into the published note, byte for byte', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(keyIdHex(signer.keyId)).toBe('c74f20a3');
    expect(signNote(TEXT, [signer])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the published note with one key known, and with both', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const one = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(one.unverified.map((s) => s.name)).toEqual(['EnochRoot']);
    const both = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('refuses a note with no signature by a known key', () => {
    expect(codeOf(() => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, []))).toBe('NO_VERIFIED_SIGNATURE');
    const stranger = generateSigner('PeterNeumann');
    const strangerKey = parseVerifierKey(formatVerifierKey(stranger.name, stranger.publicKey));
    expect(codeOf(() => openNote(`${TEXT}\n${PETER_SIG}`, [strangerKey]))).toBe('NO_VERIFIED_SIGNATURE');
  });

  it('refuses an edited text, and a changed signature, from a known key', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const edited = `${TEXT.replace('cryptography', 'cryptographY')}\n${PETER_SIG}`;
    expect(codeOf(() => openNote(edited, [peter]))).toBe('INVALID_SIGNATURE');
    const changed = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(codeOf(() => openNote(changed, [peter]))).toBe('INVALID_SIGNATURE');
  });

  it('refuses malformed notes as the reference does', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
    ];
    expect(bad.map((note) => codeOf(() => openNote(note, [peter])))).toEqual(bad.map(() => 'MALFORMED_NOTE'));
    expect(
      codeOf(() => parseNote(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_SIG}`)]))),
    ).toBe('MALFORMED_NOTE');
  });

  it('counts a repeated signature once', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const note = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`, [peter]);
    expect(note.verified).toHaveLength(1);
    expect(note.unverified).toHaveLength(1);
  });

  it('refuses to sign a text that does not end in a newline', () => {
    expect(codeOf(() => signNote('abc', [parseSignerKey(PETER_SKEY)]))).toBe('MALFORMED_NOTE');
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const root = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
  const signer = createSigner('archive-ledger.test/log', ed25519PrivateKeyObject(Buffer.alloc(32, 7)));
  const verifier = parseVerifierKey(formatVerifierKey(signer.name, signer.publicKey));

  it('writes origin, size and base64 root, one per line, and reads them back', () => {
    const text = formatCheckpoint({ origin: signer.name, treeSize: 8, rootHash: root, extensions: [] });
    expect(text).toBe(`archive-ledger.test/log\n8\n${root.toString('base64')}\n`);
    expect(parseCheckpoint(text)).toEqual({
      origin: signer.name,
      treeSize: 8,
      rootHash: root,
      extensions: [],
    });
  });

  it('verifies a signed checkpoint and refuses it edited, or checked with another key', () => {
    const note = signNote(
      formatCheckpoint({ origin: signer.name, treeSize: 8, rootHash: root, extensions: [] }),
      [signer],
    );
    expect(verifyCheckpoint(note, [verifier])).toMatchObject({ treeSize: 8, rootHash: root });
    expect(codeOf(() => verifyCheckpoint(note.replace('\n8\n', '\n9\n'), [verifier]))).toBe(
      'INVALID_SIGNATURE',
    );
    const other = generateSigner(signer.name);
    expect(
      codeOf(() =>
        verifyCheckpoint(note, [parseVerifierKey(formatVerifierKey(other.name, other.publicKey))]),
      ),
    ).toBe('NO_VERIFIED_SIGNATURE');
  });

  it('verifies the example checkpoint shown in docs/audit.md', () => {
    const note =
      'archive-ledger.local/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n' +
      '— archive-ledger.local/log S3sSc8QicmbGwzgg50vgRsoKdYy2YRPO3Z3udgR0u3yleYqD8uOrX+GIFpbfdDmMUNXFcQ0aoSrc3sJ/iN25mCuzLwc=\n';
    const key = parseVerifierKey(
      'archive-ledger.local/log+4b7b1273+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs',
    );
    expect(verifyCheckpoint(note, [key])).toMatchObject({ treeSize: 8, rootHash: root });
    const docSigner = createSigner('archive-ledger.local/log', ed25519PrivateKeyObject(Buffer.alloc(32, 7)));
    expect(
      signNote(formatCheckpoint({ origin: docSigner.name, treeSize: 8, rootHash: root, extensions: [] }), [
        docSigner,
      ]),
    ).toBe(note);
  });

  it('refuses malformed bodies: leading zeros, short roots, missing lines, empty extensions', () => {
    const b64 = root.toString('base64');
    for (const text of [
      `o\n08\n${b64}\n`,
      `o\n8\n${b64.slice(4)}\n`,
      `o\n8\n`,
      `o\n8\n${b64}\n\nx\n`,
      `o\n-1\n${b64}\n`,
      `o\n8\n${b64}`,
    ]) {
      expect(codeOf(() => parseCheckpoint(text))).toBe('MALFORMED_NOTE');
    }
  });
});
