import type { SiteConfig } from '../config';
import type {
  articleFollows,
  commentFollowers,
  comments,
  complimentaryAccess,
  gifts,
  memberEmails,
  memberLinks,
  memberSessions,
  memberSignIns,
  members,
  notifyDeliveries,
  payments,
  stripeCustomers,
  stripeSubscriptions,
  subscribers,
} from '../db/schema';

/** One kind of personal data the site keeps, as the privacy page states it. */
export interface StoredItem {
  what: string;
  why: string;
  howLong: string;
}

type Item =
  | 'account'
  | 'payment'
  | 'gift'
  | 'name'
  | 'email'
  | 'comment'
  | 'network'
  | 'mention'
  | 'newsletter'
  | 'notifications'
  | 'record';

/**
 * Which statement covers each stored column. Typed by the tables themselves: a column added to
 * `comments` or `subscribers` does not compile until it is placed here, so the page stays true.
 */
export const COMMENT_COLUMNS: Record<keyof typeof comments.$inferSelect, Item> = {
  id: 'record',
  articleId: 'record',
  parentId: 'record',
  rootId: 'record',
  depth: 'record',
  authorName: 'name',
  authorEmail: 'email',
  body: 'comment',
  bodyHash: 'comment',
  status: 'record',
  heldReason: 'record',
  ipHash: 'network',
  formToken: 'record',
  createdAt: 'record',
  moderatedAt: 'record',
  editedAt: 'record',
  removal: 'record',
  staff: 'record',
  threadNumber: 'record',
  sourceUrl: 'mention',
  authorUrl: 'mention',
};

export const SUBSCRIBER_COLUMNS: Record<keyof typeof subscribers.$inferSelect, Item> = {
  id: 'record',
  email: 'newsletter',
  emailHash: 'newsletter',
  status: 'newsletter',
  confirmationSentAt: 'newsletter',
  confirmedAt: 'newsletter',
  unsubscribedAt: 'newsletter',
  erasedAt: 'newsletter',
  suppressedAt: 'newsletter',
  timeZone: 'newsletter',
  createdAt: 'newsletter',
};

export const NOTIFY_RECIPIENT_COLUMNS: Record<keyof typeof commentFollowers.$inferSelect, Item> = {
  id: 'record',
  email: 'notifications',
  status: 'notifications',
  confirmationSentAt: 'notifications',
  confirmedAt: 'notifications',
  createdAt: 'notifications',
};

export const NOTIFY_SUBSCRIPTION_COLUMNS: Record<keyof typeof articleFollows.$inferSelect, Item> = {
  id: 'record',
  followerId: 'record',
  articleId: 'notifications',
  mode: 'notifications',
  lastSentAt: 'notifications',
  nextSendAt: 'notifications',
  createdAt: 'notifications',
};

export const NOTIFY_DELIVERY_COLUMNS: Record<keyof typeof notifyDeliveries.$inferSelect, Item> = {
  id: 'record',
  followerId: 'record',
  followId: 'record',
  commentId: 'notifications',
  status: 'notifications',
  attempts: 'notifications',
  lastError: 'notifications',
  sentAt: 'notifications',
  createdAt: 'notifications',
};

export const MEMBER_COLUMNS: Record<keyof typeof members.$inferSelect, Item> = {
  id: 'record',
  email: 'account',
  name: 'account',
  subscriberId: 'record',
  lastSignedInAt: 'account',
  paidUntil: 'account',
  createdAt: 'account',
};

export const MEMBER_SESSION_COLUMNS: Record<keyof typeof memberSessions.$inferSelect, Item> = {
  id: 'account',
  memberId: 'record',
  createdAt: 'account',
  expiresAt: 'account',
  lastSeenAt: 'account',
};

export const MEMBER_SIGN_IN_COLUMNS: Record<keyof typeof memberSignIns.$inferSelect, Item> = {
  id: 'record',
  memberId: 'record',
  at: 'account',
};

export const MEMBER_EMAIL_COLUMNS: Record<keyof typeof memberEmails.$inferSelect, Item> = {
  id: 'record',
  memberId: 'record',
  purpose: 'account',
  sentTo: 'account',
  sentAt: 'account',
};

export const MEMBER_LINK_COLUMNS: Record<keyof typeof memberLinks.$inferSelect, Item> = {
  id: 'account',
  purpose: 'account',
  email: 'account',
  memberId: 'record',
  expiresAt: 'account',
};

export const STRIPE_CUSTOMER_COLUMNS: Record<keyof typeof stripeCustomers.$inferSelect, Item> = {
  memberId: 'record',
  customerId: 'payment',
};

export const STRIPE_SUBSCRIPTION_COLUMNS: Record<keyof typeof stripeSubscriptions.$inferSelect, Item> = {
  id: 'payment',
  memberId: 'record',
  tierId: 'payment',
  status: 'payment',
  interval: 'payment',
  amount: 'payment',
  currency: 'payment',
  currentPeriodStart: 'payment',
  currentPeriodEnd: 'payment',
  cancelAtPeriodEnd: 'payment',
  endedAt: 'payment',
  accessUntil: 'payment',
  updatedAt: 'record',
};

export const PAYMENT_COLUMNS: Record<keyof typeof payments.$inferSelect, Item> = {
  id: 'payment',
  memberId: 'record',
  kind: 'payment',
  amount: 'payment',
  currency: 'payment',
  at: 'payment',
};

export const COMPLIMENTARY_ACCESS_COLUMNS: Record<keyof typeof complimentaryAccess.$inferSelect, Item> = {
  memberId: 'record',
  endsAt: 'payment',
  grantedBy: 'record',
  grantedAt: 'payment',
};

export const GIFT_COLUMNS: Record<keyof typeof gifts.$inferSelect, Item> = {
  id: 'record',
  checkoutSessionId: 'gift',
  paymentIntentId: 'gift',
  code: 'gift',
  months: 'gift',
  tierId: 'gift',
  buyerEmail: 'gift',
  amount: 'gift',
  currency: 'gift',
  createdAt: 'gift',
  refundedAt: 'gift',
  redeemedBy: 'gift',
  redeemedAt: 'gift',
  accessUntil: 'gift',
};

/** What the site stores about a reader, why, and for how long, from the settings in force. */
export function storedItems(site: SiteConfig): Record<Item, StoredItem> {
  return {
    account: {
      what: 'If you have an account: your email address, your name, when you joined and each time you signed in; which emails we sent you about your account (a sign-in link, a failed payment…), when, and whether to your address or to a new one you asked for, never the links in them; for each browser you are signed in on, a hash of its sign-in cookie and when it was last used; for a sign-in link not yet used, a hash of it and the address it was sent to.',
      why: 'To sign you in without a password, to publish your comments under your name without asking for your address, and to keep your newsletter choice.',
      howLong:
        'Until you erase your data here (that also signs you out everywhere). A browser’s sign-in ends after 30 days unused, or 180 days at most; a link after 20 minutes, or once used.',
    },
    payment: {
      what: 'If you subscribe, or are given access: your Stripe customer and subscription numbers, your tier, price, billing period and its status, the payments Stripe reports (paid, failed, refunded: amount and date, never your card), and until when you have paid or complimentary access. Stripe keeps your card and billing details itself.',
      why: 'To give you the access you paid for, to tell you when a payment fails, and to let you manage your subscription in Stripe’s Customer Portal.',
      howLong:
        'Until you erase your data here: a subscription still running is then cancelled in Stripe first. Stripe keeps its own records as the law requires.',
    },
    gift: {
      what: 'If you buy a gift: the address the code was sent to, the code, its length and price; if you redeem one: that you did, when, and until when it gives access.',
      why: 'To send the code to its buyer and to give its recipient access, once.',
      howLong:
        'The buyer’s address until they erase their data here (the code keeps working); the rest as long as the gift.',
    },
    name: {
      what: 'The name you give with a comment.',
      why: 'It is shown with your comment.',
      howLong: 'As long as the comment (until you, or a moderator, remove it).',
    },
    email: {
      what: 'The email address you give with a comment.',
      why: 'Never published: it lets moderators tell returning commenters from newcomers, and lets you ask for your data or its erasure here.',
      howLong: 'As long as the comment.',
    },
    comment: {
      what: 'Your comment’s text, when you posted it, and a fingerprint (SHA-256) of the text that stops the same comment being posted twice.',
      why: 'To publish it under the article (held and spam comments are seen only by moderators).',
      howLong: 'Until you or a moderator remove it.',
    },
    network: {
      what: 'A salted hash (HMAC-SHA-256) of the network your comment came from (the first three parts of an IPv4 address, the first three groups of an IPv6 one), never the address itself.',
      why: 'To stop floods and spam: moderators can see that comments came from the same network without learning which, and block it.',
      howLong: `${site.privacy.networkHashRetentionDays} days, then a daily job deletes it.`,
    },
    mention: {
      what: 'If a page of yours links to an article and your site sends us a Webmention: the page’s address, and the author’s name and the excerpt we read from it (its microformats, or its title).',
      why: 'To check that the page really links to the article, and once a moderator approves it, to show it under the article with a link to your page.',
      howLong:
        'Until your page no longer links to the article (send the Webmention again and we check), or a moderator removes it.',
    },
    newsletter: {
      what: `If you sign up for ${site.newsletterName}: your email address, whether you confirmed or unsubscribed, and when; your time zone (as your connection gives it, or as you chose it), so an issue can reach you at the same hour wherever you are; which issues were sent to you.`,
      why: 'To send you the newsletter you asked for, and only once you confirmed.',
      howLong:
        'Until you unsubscribe and ask for erasure. After erasure only a salted hash of the address stays, so that an old list can never subscribe you again.',
    },
    notifications: {
      what: 'If you tick “Email me when someone replies”: your email address, whether and when you confirmed it, the articles whose comments you follow (replies to you, or every comment), and which comments we emailed you about and when.',
      why: `To email you, once you confirmed, when someone replies (at most one email per article every ${site.comments.notifyBatchMinutes} minutes), and never twice about one comment.`,
      howLong:
        'Until you press “Stop emails about this article” (that article) or “Stop all comment emails” (everything, address included) in any notification, or erase your data here.',
    },
    record: {
      what: 'The comment’s place in its thread and its moderation status (awaiting moderation, published, spam), and when it was edited or moderated.',
      why: 'To show threads and to moderate.',
      howLong: 'As long as the comment.',
    },
  };
}
