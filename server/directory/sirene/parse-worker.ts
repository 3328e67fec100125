import fs from 'node:fs';
import Papa from 'papaparse';
import { parentPort } from 'node:worker_threads';
import { NewWords } from '../search-words.js';
import { establishmentFacts, EstablishmentRuns } from './establishments.js';
import {
  headOfficeMapper,
  pushHeadOffice,
  pushUnit,
  unitMapper,
  type Cells,
  type FileKind,
  type Rejection,
} from './rows.js';

// Parsing Sirene files and mapping their rows takes as long as writing them:
// this worker does it on a core of its own while the importing thread writes
// the batches it posts. It stays at most MAX_IN_FLIGHT batches ahead, so
// memory stays flat whatever the file's size.
const MAX_IN_FLIGHT = 2;

export interface ParseRequest {
  file: string;
  kind: FileKind;
  /** Rows staged before an interruption: read past, not posted again. */
  skip: number;
  batchSize: number;
}

/** What the importing thread sends back: a request, or "one more batch written". */
export type ToParser = ParseRequest | 'written';

export interface ParsedBatch {
  /** Rows read so far, the header aside, those skipped on resuming included. */
  rows: number;
  /** Rows read since the previous batch, not counting those skipped on resuming. */
  batchRows: number;
  bytesRead: number;
  /** Staged units, row after row, each in UNIT_COLUMNS order. */
  units: unknown[];
  /** Staged head offices, row after row, each in HEAD_OFFICE_COLUMNS order. */
  heads: unknown[];
  /** Staged runs of a unit's establishments, each in ESTABLISHMENT_COLUMNS order. */
  establishments: unknown[];
  /** Words of the directory's vocabulary not staged yet by this import. */
  words: string[];
  /** Since the file's parsing started. */
  rejected: Record<string, number>;
  /** Establishments other than head offices, since the file's parsing started. */
  skipped: number;
  /** The file's last batch. */
  done: boolean;
}

const port = parentPort!;
// One worker per import: a word is staged once for all its files.
const newWords = new NewWords();
// Head offices share a few tens of thousands of places: each place's words
// are taken once rather than split again for each establishment.
let placesTaken = new Set<string>();
const PLACES_LIMIT = 100_000;
let inFlight = 0;
let onWritten: (() => void) | null = null;

function written(): void {
  inFlight--;
  onWritten?.();
  onWritten = null;
}

async function post(batch: ParsedBatch): Promise<void> {
  port.postMessage(batch);
  inFlight++;
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (onWritten = resolve));
}

function takePlace(placeWords: string, words: string[]): void {
  if (placesTaken.has(placeWords)) return;
  if (placesTaken.size >= PLACES_LIMIT) placesTaken = new Set();
  placesTaken.add(placeWords);
  newWords.take(placeWords, words);
}

async function parse({ file, kind, skip, batchSize }: ParseRequest): Promise<void> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let rows = 0;
  let batchRows = 0;
  let skipped = 0;
  const rejected: Record<string, number> = {};
  let units: unknown[] = [];
  let heads: unknown[] = [];
  let establishments: unknown[] = [];
  const runs = new EstablishmentRuns();
  let words: string[] = [];
  const reject = ({ rejected: reason }: Rejection): void => {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
  };
  // Known once the header is read, which comes before any record.
  let stage: ((cells: Cells) => void) | null = null;
  const stageFor = (cells: Cells): ((cells: Cells) => void) => {
    const header = cells.map((c) => c.replace(/^\uFEFF/, '').trim());
    if (kind === 'units') {
      const map = unitMapper(header);
      return (cells) => {
        const unit = map(cells);
        if ('rejected' in unit) return reject(unit);
        pushUnit(units, unit);
        newWords.take(unit.name_words, words);
      };
    }
    const map = headOfficeMapper(header);
    const facts = establishmentFacts(header);
    return (cells) => {
      const establishment = facts(cells);
      if (establishment) {
        runs.take(establishment, establishments);
        if (establishment.usual) newWords.take(establishment.usual, words);
      }
      const head = map(cells);
      if (head === null) skipped++;
      else if ('rejected' in head) reject(head);
      else {
        pushHeadOffice(heads, head);
        takePlace(head.place_words, words);
      }
    };
  };
  const flush = async (done: boolean): Promise<void> => {
    runs.flush(establishments, !done);
    const batch: ParsedBatch = { rows, batchRows, bytesRead: input.bytesRead, units, heads, establishments, words, rejected, skipped, done };
    units = [];
    heads = [];
    establishments = [];
    words = [];
    batchRows = 0;
    await post(batch);
  };
  const handle = async (records: Cells[]): Promise<void> => {
    for (const cells of records) {
      if (!stage) {
        stage = stageFor(cells);
        continue;
      }
      rows++;
      // Rows staged before an interruption are read past, not staged twice.
      if (rows <= skip) continue;
      batchRows++;
      stage(cells);
      if (batchRows >= batchSize) await flush(false);
    }
  };
  // Papa Parse hands over the file a chunk of records at a time; parsing
  // pauses while the importing thread catches up, so memory stays flat
  // whatever the file's size.
  await new Promise<void>((resolve, reject) => {
    Papa.parse<Cells>(input, {
      skipEmptyLines: true,
      // Guessed from a stream, Windows line endings left a record of "\n"
      // at the end of the file. A carriage return before each line feed is
      // trimmed off the last value instead, as every value is.
      newline: '\n',
      chunk: (results, parser) => {
        // Papa Parse keeps queuing what the file stream delivers while it is
        // paused: the file stream itself must pause too, or the whole file ends up in memory.
        parser.pause();
        input.pause();
        handle(results.data).then(
          () => {
            input.resume();
            parser.resume();
          },
          (error: unknown) => {
            // Settle first: aborting calls `complete`, which would otherwise resolve.
            reject(error);
            parser.abort();
            input.destroy();
          },
        );
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  await flush(true);
}

port.on('message', (message: ToParser) => {
  if (message === 'written') written();
  // A failure is thrown out of the worker: the importing thread gets it as the worker's 'error' event.
  else void parse(message);
});
