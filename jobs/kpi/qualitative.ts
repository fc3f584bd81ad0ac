import Sentiment from 'sentiment';
import { DAY, type KpiStore, type KpiValues } from './types.ts';

/** Window of satisfaction and sentiment: a quarter, the usual survey rhythm. */
export const FEEDBACK_WINDOW_MS = 90 * DAY;
const SCORE_BATCH = 5_000;

const analyzer = new Sentiment();

/**
 * Sentiment of a feedback text: the AFINN-165 comparative score of the `sentiment` package, the
 * sum of the word scores (−5 … +5 each, negations flipped) divided by the number of words.
 * Null for a text with no words.
 */
export function sentimentOf(text: string): number | null {
  const result = analyzer.analyze(text);
  return result.tokens.length === 0 ? null : result.comparative;
}

export interface QualitativeInput {
  store: Pick<
    KpiStore,
    'unscoredFeedback' | 'scoreFeedback' | 'feedbackSummary' | 'openTickets' | 'kpiTotals'
  >;
  now: number;
  signal?: AbortSignal;
}

const none = (value: string) => (value === '' ? 'none' : value);

/**
 * Qualitative KPIs: satisfaction (mean score and answers per participant over 90 days), feedback
 * sentiment, open tickets and opened/closed counts per integration, docs views, developer
 * activity. Feedback folded since the last run is scored for sentiment first, once.
 */
export async function computeQualitative({ store, now, signal }: QualitativeInput): Promise<KpiValues> {
  for (;;) {
    const batch = await store.unscoredFeedback(SCORE_BATCH);
    if (batch.length === 0) break;
    await store.scoreFeedback(
      batch.map((f) => ({ seq: f.seq, sentiment: f.text ? sentimentOf(f.text) : null })),
    );
    if (batch.length < SCORE_BATCH || signal?.aborted) break;
  }
  const [feedback, open, opened, closed, docs, developers] = await Promise.all([
    store.feedbackSummary(now - FEEDBACK_WINDOW_MS),
    store.openTickets(),
    store.kpiTotals('tickets_opened'),
    store.kpiTotals('tickets_closed'),
    store.kpiTotals('docs_views'),
    store.kpiTotals('developer_activity'),
  ]);
  const total = (rows: { value: number }[]) => rows.reduce((n, r) => n + r.value, 0);
  return {
    partner_satisfaction_score: feedback.map((f) => ({
      labels: { participant: f.participantId },
      value: f.scoreSum / f.responses,
    })),
    partner_satisfaction_responses: feedback.map((f) => ({
      labels: { participant: f.participantId },
      value: f.responses,
    })),
    feedback_sentiment: feedback
      .filter((f) => f.texts > 0)
      .map((f) => ({ labels: { participant: f.participantId }, value: f.sentimentSum / f.texts })),
    support_tickets_open: open.map((t) => ({
      labels: { integration: none(t.integrationId) },
      value: t.open,
    })),
    support_tickets_opened_total: opened.map((t) => ({
      labels: { integration: none(t.k1) },
      value: t.value,
    })),
    support_tickets_closed_total: closed.map((t) => ({
      labels: { integration: none(t.k1) },
      value: t.value,
    })),
    docs_views_total: [{ labels: {}, value: total(docs) }],
    developer_activity_total: [{ labels: {}, value: total(developers) }],
  };
}
