import type { deskEn } from './desk.en'

// desk.en.ts in Spanish (the same keys).
export const deskEs: typeof deskEn = {
  layout: {
    menu: 'Menú',
    returnToOwn: 'Volver a mi cuenta',
    nameAndUsername: '{name} ({username})',
    showAll: 'Ver todo',
    showLess: 'Ver menos',
    moreActions: 'Más acciones',
  },
}
