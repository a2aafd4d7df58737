/** UI strings in French and English; the language follows the browser's preference. */

const fr = {
  catalogTitle: 'Démarches en ligne',
  allProcedures: 'Toutes les démarches',
  searchLabel: 'Rechercher une démarche',
  searchHint: 'Par exemple : état civil, cantine, encombrants',
  categoryLabel: 'Catégorie',
  allCategories: 'Toutes les catégories',
  loading: 'Chargement…',
  results: (n: number) => (n === 0 ? 'Aucune démarche trouvée' : n === 1 ? '1 démarche' : `${n} démarches`),
  moreResults: 'Afficher plus de démarches',
  accountRequired: 'Compte requis',
  minutes: (n: number) => `Environ ${n} min`,
  errorTitle: 'Le catalogue est indisponible',
  retry: 'Réessayer',
  offline: 'Vous êtes hors ligne : les démarches affichées peuvent ne pas être à jour.',
  offlineBadge: 'Hors ligne',
  footerLabel: 'Liens du site',
  footerPoweredBy: 'démarches en ligne avec Guichet',
  footerEmbed: 'Intégrer Guichet à votre site',
  navLabel: 'Menu principal',
  navProcedures: 'Démarches',
  navTracking: 'Suivre une demande',
  navRequests: 'Mes demandes',
  navAccount: 'Mon compte',
  backToCatalog: 'Toutes les démarches',
  procedureMissing: 'Cette démarche n’existe pas ou n’est plus proposée.',
  procedureUnavailable: 'Cette démarche ne peut pas être affichée pour le moment.',
  aboutTitle: 'En bref',
  categoryName: 'Catégorie',
  fillTime: 'Temps pour la remplir',
  answerTime: 'Délai de réponse habituel',
  days: (n: number) => (n === 1 ? '1 jour' : `${n} jours`),
  handledBy: 'Service',
  prepareTitle: 'Ce qu’il vous faut',
  accountNeeded: 'Un compte est nécessaire pour la faire.',
  noAccountNeeded: 'Pas besoin de compte.',
  startProcedure: 'Commencer la démarche',
  homeFeatured: 'Les plus demandées',
  homeDevice: 'Sur cet appareil',
  homeMine: 'Mes dernières demandes',
  homeDraft: 'Brouillon',
  homeRefused: 'À corriger avant l’envoi',
  homeWaiting: 'En attente d’envoi : partira dès le retour de la connexion',
  homeSent: 'Envoyée',
  homeResume: 'Reprendre',
  homeResumeLabel: (title: string) => `Reprendre : ${title}`,
  notFoundTitle: 'Page introuvable',
  notFoundText: 'Cette adresse ne correspond à aucune page de Guichet.',
  home: 'Aller à l’accueil',
  trackingTitle: 'Suivre une demande',
  trackingIntro: 'Sans compte, suivez votre demande avec le code de suivi reçu quand vous l’avez envoyée.',
  trackingCode: 'Code de suivi',
  trackingHint: '8 caractères, par exemple K7M2Q9XD',
  trackingSubmit: 'Suivre',
  trackingEmpty: 'Saisissez votre code de suivi.',
  trackingLive: 'Cette page se met à jour toute seule quand votre demande avance.',
  reference: 'Référence',
  statusNow: 'Où en est-elle',
  sentOn: 'Envoyée le',
  historyTitle: 'Historique',
  statusChanged: (label: string) => `Nouveau statut : ${label}`,
  eventLabel: (kind: string) =>
    ({
      'submission.sent': 'Demande envoyée',
      'submission.status_changed': 'Statut mis à jour',
      'submission.transitioned': 'Demande traitée',
      'message.posted': 'Nouveau message',
      'submission.correction_requested': 'Précision demandée',
      'submission.corrected': 'Demande complétée',
      'submission.notified': 'Service prévenu',
    })[kind] ?? 'Mise à jour',
  updateReady: 'Une nouvelle version de Guichet est prête.',
  updateReload: 'Recharger la page',
};

type Messages = typeof fr;

const en: Messages = {
  catalogTitle: 'Online procedures',
  allProcedures: 'All procedures',
  searchLabel: 'Search for a procedure',
  searchHint: 'For example: civil status, canteen, bulky waste',
  categoryLabel: 'Category',
  allCategories: 'All categories',
  loading: 'Loading…',
  results: (n: number) => (n === 0 ? 'No procedure found' : n === 1 ? '1 procedure' : `${n} procedures`),
  moreResults: 'Show more procedures',
  accountRequired: 'Account required',
  minutes: (n: number) => `About ${n} min`,
  errorTitle: 'The catalog is unavailable',
  retry: 'Try again',
  offline: 'You are offline: the procedures shown may be out of date.',
  offlineBadge: 'Offline',
  footerLabel: 'Site links',
  footerPoweredBy: 'online services with Guichet',
  footerEmbed: 'Embed Guichet on your site',
  navLabel: 'Main menu',
  navProcedures: 'Procedures',
  navTracking: 'Follow a request',
  navRequests: 'My requests',
  navAccount: 'My account',
  backToCatalog: 'All procedures',
  procedureMissing: 'This procedure does not exist or is no longer offered.',
  procedureUnavailable: 'This procedure cannot be shown right now.',
  aboutTitle: 'At a glance',
  categoryName: 'Category',
  fillTime: 'Time to fill it in',
  answerTime: 'Usual answer time',
  days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
  handledBy: 'Handled by',
  prepareTitle: 'What you need',
  accountNeeded: 'You need an account to do it.',
  noAccountNeeded: 'No account needed.',
  startProcedure: 'Start the procedure',
  homeFeatured: 'Most asked for',
  homeDevice: 'On this device',
  homeMine: 'My latest requests',
  homeDraft: 'Draft',
  homeRefused: 'To correct before sending',
  homeWaiting: 'Waiting to send: it leaves as soon as the connection is back',
  homeSent: 'Sent',
  homeResume: 'Resume',
  homeResumeLabel: (title: string) => `Resume: ${title}`,
  notFoundTitle: 'Page not found',
  notFoundText: 'This address matches no page of Guichet.',
  home: 'Go to the home page',
  trackingTitle: 'Follow a request',
  trackingIntro: 'Without an account, follow your request with the tracking code you received when you sent it.',
  trackingCode: 'Tracking code',
  trackingHint: '8 characters, for example K7M2Q9XD',
  trackingSubmit: 'Follow',
  trackingEmpty: 'Enter your tracking code.',
  trackingLive: 'This page updates by itself when your request moves.',
  reference: 'Reference',
  statusNow: 'Where it stands',
  sentOn: 'Sent on',
  historyTitle: 'History',
  statusChanged: (label: string) => `New status: ${label}`,
  eventLabel: (kind: string) =>
    ({
      'submission.sent': 'Request sent',
      'submission.status_changed': 'Status updated',
      'submission.transitioned': 'Request processed',
      'message.posted': 'New message',
      'submission.correction_requested': 'More information asked for',
      'submission.corrected': 'Request completed',
      'submission.notified': 'Service told',
    })[kind] ?? 'Update',
  updateReady: 'A new version of Guichet is ready.',
  updateReload: 'Reload the page',
};

export type Language = 'fr' | 'en';

/** The first supported language among the user's preferences, French by default. */
export function pickLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'fr' || primary === 'en') return primary;
  }
  return 'fr';
}

export function messages(language: Language): Messages {
  return language === 'en' ? en : fr;
}

const CHOSEN = 'guichet-language';

/** Running as a widget on another site's page (this code came from Guichet's origin, not the page's). */
export function embedded(): boolean {
  try {
    return typeof location !== 'undefined' && new URL(import.meta.url).origin !== location.origin;
  } catch {
    return false;
  }
}

/** The language chosen in the app (kept on the device), else the browser's preference; a
 * widget follows its host page's language. */
function chosenLanguage(): Language {
  if (embedded() && typeof document !== 'undefined') {
    return pickLanguage([document.documentElement.lang || navigator.language || 'fr']);
  }
  try {
    const chosen = typeof localStorage === 'undefined' ? null : localStorage.getItem(CHOSEN);
    if (chosen === 'fr' || chosen === 'en') return chosen;
  } catch {
    /* storage refused: the browser's preference */
  }
  return typeof navigator === 'undefined' ? 'fr' : pickLanguage(navigator.languages ?? [navigator.language]);
}

export function chooseLanguage(chosen: Language): void {
  localStorage.setItem(CHOSEN, chosen);
}

export const language: Language = chosenLanguage();
export const t: Messages = messages(language);
