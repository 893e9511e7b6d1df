import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FLAG_CODES, FLAG_SEVERITY } from '../../../domain/flags.js';
import { REQUEST_ITEMS, type RequestItemCode } from '../../../domain/customer-requests.js';
import { REASONS_SUGGESTED_BY, REJECT_REASONS, ReviewDecision, UNDO_WINDOW_SECONDS } from '../../../domain/review.js';
import { RETAILERS } from '../../../extract/retailers.js';
import type { Policy } from '../../../policy/policy-schema.js';
import type { SignInLimits } from '../../../config/env.js';
import { LOCKOUT, type AccountService } from '../../../services/account-service.js';
import { FLAG_TITLES } from '../../../services/flag-explanations.js';
import type { ReviewService } from '../../../services/review-service.js';
import { SESSION_COOKIE } from '../../plugins/app/sessions.js';
import { clientAddress, signInLimiters } from './sign-in-limits.js';
import { ErrorBody } from '../../schemas/claims.js';
import {
  ClaimDetailView,
  ClaimStateView,
  DecisionView,
  Facets,
  LeaseView,
  PageParams,
  PreviewBody,
  PreviewView,
  QueueNews,
  QueueNewsQuery,
  QueuePage,
  QueueQuery,
  ReviewClaimParams,
  SessionView,
  SignInBody,
  UndoneView,
} from '../../schemas/review.js';

export interface ReviewRoutesOptions {
  reviews: ReviewService;
  accounts: AccountService;
  policy: Policy;
  slaHours: number;
  signInLimits: SignInLimits;
}

/** Workbench routes take the session cookie, not an API key (OpenAPI security requirement). */
const SESSION = [{ session: [] }];
const asReasons = (labels: Record<string, string>) =>
  Object.entries(labels).map(([code, label]) => ({
    code,
    label,
    suggestedBy: REASONS_SUGGESTED_BY[code as keyof typeof REASONS_SUGGESTED_BY] ?? [],
  }));

/** The workbench's JSON API under /review/api: sign-in, the queue, a claim, leases, re-assessment and decisions. */
const reviewRoutes: FastifyPluginAsyncZod<ReviewRoutesOptions> = async (app, options) => {
  const reviewer = app.requireSession('reviewer', 'admin');
  const limits = await signInLimiters(app, options.signInLimits);

  app.post(
    '/review/api/session',
    {
      schema: {
        summary: 'Sign in to the reviewer workbench (sets the session cookie)',
        security: [],
        body: SignInBody,
        response: {
          200: SessionView,
          401: ErrorBody,
          429: ErrorBody.meta({
            description: 'Too many attempts from this address or for this account (TOO_MANY_SIGN_INS); see Retry-After',
          }),
          503: ErrorBody.meta({ description: 'Too many sign-ins being checked at once (SIGN_IN_BUSY); see Retry-After' }),
        },
      },
      onRequest: limits.perAddress,
      preHandler: limits.perAccount,
    },
    async (request, reply) => {
      const signedIn = await options.accounts.signIn(request.body.username, request.body.password, clientAddress(request));
      if (!signedIn)
        return reply.code(401).send({
          error: 'unauthorized',
          message: `The user name or the password is wrong (after ${LOCKOUT.maxFailures} wrong passwords in a row, sign-in from this address waits ${LOCKOUT.lockSeconds / 60} minutes).`,
        });
      app.setSessionCookie(reply, signedIn.token);
      return { user: { username: signedIn.user.username, role: signedIn.user.role }, csrfToken: signedIn.csrfToken };
    },
  );

  app.get(
    '/review/api/session',
    {
      schema: { summary: 'The signed-in person and the CSRF token', security: [], response: { 200: SessionView, 401: ErrorBody } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await options.accounts.session(token) : null;
      if (!session) return reply.code(401).send({ error: 'unauthorized', message: 'Please sign in.' });
      return { user: { username: session.user.username, role: session.user.role }, csrfToken: session.csrfToken };
    },
  );

  app.delete(
    '/review/api/session',
    {
      schema: { summary: 'Sign out (the claims you reserved go back to the queue unless you are signed in elsewhere)', security: SESSION },
      preHandler: app.requireSession('submitter', 'reviewer', 'admin'),
    },
    async (request, reply) => {
      // The session ends first, so nothing signed in with it can take a claim after its leases are given back.
      await options.accounts.signOut(request.cookies[SESSION_COOKIE]!);
      await options.reviews.releaseAfterSignOut(request.user!);
      app.setSessionCookie(reply, null);
      return reply.code(204).send();
    },
  );

  app.get(
    '/review/api/facets',
    {
      schema: {
        summary: 'What the queue can be filtered by, the reason codes, and what the customer can be asked for',
        security: SESSION,
        response: { 200: Facets },
      },
      preHandler: reviewer,
    },
    async () => ({
      flags: FLAG_CODES.filter((c) => FLAG_SEVERITY[c] === 'review').map((code) => ({ code, title: FLAG_TITLES[code] })),
      flagTitles: FLAG_TITLES,
      families: options.policy.families.map((f) => ({ id: f.id, label: f.label })),
      retailers: RETAILERS.map((r) => r.name),
      rejectReasons: asReasons(REJECT_REASONS),
      requestItems: (Object.keys(REQUEST_ITEMS) as RequestItemCode[]).map((code) => ({
        code,
        label: REQUEST_ITEMS[code].label,
        clears: [...REQUEST_ITEMS[code].clears],
      })),
      slaHours: options.slaHours,
    }),
  );

  app.get(
    '/review/api/queue',
    {
      schema: {
        summary: 'Claims that need review, oldest first, a keyset page at a time',
        security: SESSION,
        querystring: QueueQuery,
        response: { 200: QueuePage },
      },
      preHandler: reviewer,
    },
    async (request) => {
      const { cursor, after, limit, ...filter } = request.query;
      return { ...(await options.reviews.queue(filter, { cursor, afterClaim: after }, limit)), slaHours: options.slaHours };
    },
  );

  app.get(
    '/review/api/queue/news',
    {
      schema: {
        summary: 'How many claims joined the queue since it was read: what an open queue page polls',
        security: SESSION,
        querystring: QueueNewsQuery,
        response: { 200: QueueNews },
      },
      preHandler: reviewer,
    },
    async (request) => {
      const { since, ...filter } = request.query;
      return options.reviews.queueNews(filter, since);
    },
  );

  app.get(
    '/review/api/claims/:id',
    {
      schema: {
        summary: 'A claim with its evidence, as the workbench shows it',
        security: SESSION,
        params: ReviewClaimParams,
        response: { 200: ClaimDetailView, 404: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.detail(request.params.id, request.user!),
  );

  app.get(
    '/review/api/claims/:id/state',
    {
      schema: {
        summary: "A claim's status, who decided it and who holds it: what a read-only view polls",
        security: SESSION,
        params: ReviewClaimParams,
        response: { 200: ClaimStateView, 404: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.claimState(request.params.id, request.user!),
  );

  app.get(
    '/review/api/claims/:id/pages/:page',
    {
      schema: {
        summary: 'A receipt page as an image (the original, or a PDF page rendered to PNG)',
        security: SESSION,
        params: PageParams,
      },
      preHandler: reviewer,
    },
    async (request, reply) => {
      const { bytes, mediaType } = await options.reviews.page(request.params.id, request.params.page);
      // Receipts are keyed by content: a page never changes, so the browser may keep it for the session.
      return reply.type(mediaType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(bytes);
    },
  );

  app.post(
    '/review/api/claims/:id/lease',
    {
      schema: {
        summary: 'Reserve the claim for yourself (or renew the reservation)',
        security: SESSION,
        params: ReviewClaimParams,
        response: { 200: LeaseView, 404: ErrorBody, 409: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.lease(request.params.id, request.user!),
  );

  app.delete(
    '/review/api/claims/:id/lease',
    {
      schema: {
        summary: 'Give the claim back to the queue (only its holder can)',
        security: SESSION,
        params: ReviewClaimParams,
        response: { 204: z.null().meta({ description: 'Given back' }), 404: ErrorBody, 409: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request, reply) => {
      await options.reviews.release(request.params.id, request.user!);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/review/api/claims/:id/assess',
    {
      schema: {
        summary: 'The decision with corrected fields, without saving',
        security: SESSION,
        params: ReviewClaimParams,
        body: PreviewBody,
        response: { 200: PreviewView, 404: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.preview(request.params.id, request.body.corrections),
  );

  app.post(
    '/review/api/claims/:id/decision',
    {
      schema: {
        summary: 'Approve, reject with a reason, or ask the customer for more',
        security: SESSION,
        params: ReviewClaimParams,
        body: ReviewDecision,
        response: { 200: DecisionView, 404: ErrorBody, 409: ErrorBody },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.decide(request.params.id, request.user!, request.body),
  );

  app.post(
    '/review/api/claims/:id/decision/undo',
    {
      schema: {
        summary: 'Take your own decision back, shortly after making it',
        description:
          `Only the reviewer who decided, within ${UNDO_WINDOW_SECONDS} s of the decision, and only if nothing happened to the claim ` +
          'since (no re-run, no other decision). The claim needs review again with the machine’s result and is reserved for you; ' +
          'the decision and its undoing both stay in the history.',
        security: SESSION,
        params: ReviewClaimParams,
        response: {
          200: UndoneView,
          403: ErrorBody.meta({ description: 'Another reviewer made the decision (NOT_YOUR_DECISION)' }),
          404: ErrorBody,
          409: ErrorBody.meta({
            description:
              'Nothing to undo (NOTHING_TO_UNDO), too late (UNDO_WINDOW_OVER), the claim changed since (CHANGED_SINCE), or another reviewer holds it (LEASE_HELD)',
          }),
        },
      },
      preHandler: reviewer,
    },
    async (request) => options.reviews.undo(request.params.id, request.user!),
  );
};

export default reviewRoutes;
