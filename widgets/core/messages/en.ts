/** The English catalogue: every user-facing string of the kit. Other languages implement its type. */
const en = {
  // Errors, by API error code
  'error.unauthenticated': 'You are not signed in, or your session is not valid.',
  'error.session_expired': 'Your session has expired. Reload the page to sign in again.',
  'error.forbidden': 'You do not have permission to do this.',
  'error.not_found': 'This record does not exist or was removed.',
  'error.conflict': 'This conflicts with an existing record.',
  'error.precondition_failed': 'Someone else changed this record in the meantime.',
  'error.rule_violation': 'This is not allowed by the studio’s rules.',
  'error.rate_limited': 'Too many requests. Wait a moment and try again.',
  'error.unavailable': 'The service is unavailable right now. Try again shortly.',
  'error.network_error': 'The server could not be reached. Check your connection.',
  'error.generic': 'Something went wrong.',
  'error.retry': 'Try again',

  // Forms
  'form.required': 'Enter this field.',
  'form.invalidEmail': 'Enter an email address like name@example.com.',
  'form.checkFields': 'Check the highlighted fields.',
  'form.cancel': 'Cancel',
  'form.optional': '(optional)',

  // Customers
  'customer.firstname': 'First name',
  'customer.lastname': 'Last name',
  'customer.email': 'Email',
  'customer.mobile': 'Mobile',
  'customer.since': 'Customer since',
  'customer.name': 'Name',
  'customer.archived': 'Archived',
  'customer.new': 'New',
  'customer.none': 'Not given',

  // <customer-list>
  'list.label': 'Customers',
  'list.search': 'Search customers',
  'list.searchHint': 'Name, email or mobile',
  'list.filter': 'Show',
  'list.filter.active': 'Active',
  'list.filter.archived': 'Archived',
  'list.filter.all': 'All',
  'list.keyboardHint': 'Use the up and down arrow keys to move between customers and Enter to open one.',
  'list.loading': 'Loading customers…',
  'list.empty': 'No customers yet.',
  'list.emptySearch': (p: { query: string }) => `No customers match “${p.query}”.`,
  'list.emptyFilter': 'No customers in this view.',
  'list.error': 'The customers could not be loaded.',
  'list.loadMore': 'Load more',
  'list.loadingMore': 'Loading more…',
  'list.shown': (p: { count: number; more: boolean }) =>
    `${p.count === 1 ? '1 customer' : `${p.count} customers`} shown${p.more ? ', more available' : ''}.`,
  'list.add': 'Add customer',
  'list.addTitle': 'Add a customer',
  'list.addSubmit': 'Add customer',
  'list.adding': 'Adding…',
  'list.added': (p: { name: string }) => `${p.name} was added.`,
};

export default en;

/** The shape every catalogue has: the English keys, with the same parameters. */
export type Messages = typeof en;
