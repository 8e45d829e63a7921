// The screens at every width, the lists for real work (selection, bulk actions, columns), the
// outbox of every account and the first-steps checklist. Spread into en.ts; desk.es.ts has the
// same keys.
export const deskEn = {
  layout: {
    menu: 'Menu',
    returnToOwn: 'Return to my account',
    nameAndUsername: '{name} ({username})',
    showAll: 'Show all',
    showLess: 'Show less',
    moreActions: 'More actions',
  },
}
