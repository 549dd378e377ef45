/** `ck-customer-select`: a customer row was chosen by click, Enter or Space. */
export interface CustomerSelectDetail {
  customerId: string;
}

/** `ck-customer-created`: the "Add customer" dialog created a customer. */
export interface CustomerCreatedDetail {
  customerId: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-customer-select': CustomEvent<CustomerSelectDetail>;
    'ck-customer-created': CustomEvent<CustomerCreatedDetail>;
  }
}
