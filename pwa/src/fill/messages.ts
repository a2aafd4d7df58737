/** The form-filling screens' strings, French and English (loaded with those screens only). */

import { language } from '../i18n';

type Options = Record<string, unknown>;

const fr = {
  optional: '(facultatif)',
  errorPrefix: 'Erreur :',
  choose: 'Choisir…',
  yes: 'Oui',
  no: 'Non',
  severalChoices: 'Vous pouvez en cocher plusieurs.',
  street: 'Numéro et voie',
  complement: 'Complément (facultatif)',
  postcode: 'Code postal',
  city: 'Commune',
  latitude: 'Latitude',
  longitude: 'Longitude',
  useMyPosition: 'Utiliser ma position',
  mapLabel: (label: string) => `Carte pour « ${label} » : touchez ou cliquez pour placer le point. Vous pouvez aussi saisir la latitude et la longitude.`,
  mapOffline: 'Le fond de carte ne se charge pas (hors ligne ?) : le point reste plaçable, ou saisissez ses coordonnées.',
  pointHint: 'En degrés décimaux, par exemple 48.65 et 2.37.',
  locating: 'Recherche de votre position…',
  locateFailed: 'Votre position n’a pas pu être obtenue : saisissez-la.',
  row: 'Élément',
  addRow: (label: string) => `Ajouter : ${label}`,
  removeRow: (label: string) => `Retirer : ${label}`,
  rowsHint: (min: number | undefined, max: number) => (min ? `De ${min} à ${max}.` : `Jusqu’à ${max}.`),
  megabytes: 'Mo',
  kilobytes: 'ko',
  accepted: (types: string) => `Formats acceptés : ${types}.`,
  atMost: (size: string) => `${size} au plus par fichier.`,
  upTo: (n: number) => `Jusqu’à ${n} fichiers.`,
  chooseFile: 'Choisir un fichier',
  addFile: 'Ajouter un fichier',
  remove: 'Retirer',
  removeFile: (name: string) => `Retirer le fichier ${name}`,
  uploadOffline: 'Vous êtes hors ligne : joignez vos fichiers quand la connexion sera revenue.',
  tooManyFiles: (n: number) => `${n} fichiers au plus.`,
  uploadFailed: 'L’envoi du fichier a échoué. Choisissez-le à nouveau.',
  formatHint: (type: string, field: Options): string => {
    switch (type) {
      case 'email':
        return 'Par exemple : nom@exemple.fr';
      case 'phone':
        return 'Par exemple : 06 12 34 56 78';
      case 'date':
        return 'Au format jj/mm/aaaa.';
      case 'time':
        return 'Au format hh:mm.';
      case 'postcode':
        return '5 chiffres.';
      case 'siret':
        return '14 chiffres.';
      case 'siren':
        return '9 chiffres.';
      case 'nir':
        return '15 chiffres (numéro de sécurité sociale).';
      case 'iban':
        return 'Commence par 2 lettres, par exemple FR76…';
      case 'number': {
        const bounds = [field.min !== undefined ? `au moins ${String(field.min)}` : '', field.max !== undefined ? `au plus ${String(field.max)}` : ''];
        const text = bounds.filter(Boolean).join(', ');
        return text ? `Un nombre, ${text}.` : 'Un nombre.';
      }
      default:
        return '';
    }
  },
  required: (label: string) => `Renseignez « ${label} ».`,
  step: (n: number, total: number) => `Étape ${n} sur ${total}`,
  continue: 'Continuer',
  back: 'Retour',
  checkTitle: 'Vérifiez vos réponses avant d’envoyer',
  change: 'Modifier',
  changeLabel: (label: string) => `Modifier : ${label}`,
  notAnswered: 'Non renseigné',
  send: 'Envoyer la demande',
  sendHint: 'En envoyant, vous confirmez que ces informations sont exactes.',
  summaryTitle: 'Il y a un problème',
  checking: 'Vérification…',
  sending: 'Envoi en cours…',
  waiting: 'En attente d’envoi',
  waitingText: 'Vous êtes hors ligne. Votre demande est enregistrée sur cet appareil et partira d’elle-même dès le retour de la connexion, même si vous fermez cette page.',
  sentTitle: 'Demande envoyée',
  sentReference: 'Votre référence',
  sentTracking: 'Votre code de suivi',
  sentKeep: 'Gardez ce code : il permet de suivre votre demande sans compte.',
  follow: 'Suivre cette demande',
  refusedTitle: 'Votre demande n’a pas pu être envoyée',
  savedHere: 'Vos réponses sont enregistrées sur cet appareil.',
  savedServer: 'Brouillon enregistré.',
  accountFirst: 'Cette démarche demande un compte : connectez-vous pour la faire.',
  formUnavailable: 'Le formulaire ne peut pas être affiché pour le moment.',
  offlineNoForm: 'Vous êtes hors ligne et ce formulaire n’a pas encore été ouvert sur cet appareil.',
  resumeFailed: 'Ce brouillon est introuvable : le lien a peut-être expiré.',
  startAgain: 'Recommencer',
  restartQuestion: 'Effacer toutes vos réponses et recommencer ? Votre brouillon sera supprimé, sur cet appareil et sur le serveur.',
  restartConfirm: 'Oui, tout effacer',
  restartCancel: 'Non, garder mes réponses',
  restarted: 'Vos réponses sont effacées : la démarche recommence.',
  startProcedure: 'Commencer la démarche',
  resume: 'Reprendre ma demande',
  resumeLater: 'Reprendre plus tard, sur un autre appareil',
  resumeHelp: 'Ce lien rouvre votre brouillon où que vous soyez. Gardez-le pour vous : il donne accès à vos réponses.',
  resumeLinkLabel: 'Lien de reprise',
  copyLink: 'Copier le lien',
  copied: 'Lien copié',
  yesAnswer: 'Oui',
  noAnswer: 'Non',
};

type Messages = typeof fr;

const en: Messages = {
  optional: '(optional)',
  errorPrefix: 'Error:',
  choose: 'Choose…',
  yes: 'Yes',
  no: 'No',
  severalChoices: 'You can tick more than one.',
  street: 'Number and street',
  complement: 'Address line 2 (optional)',
  postcode: 'Postcode',
  city: 'Town',
  latitude: 'Latitude',
  longitude: 'Longitude',
  useMyPosition: 'Use my position',
  mapLabel: (label: string) => `Map for “${label}”: tap or click to place the point. You can also type the latitude and longitude.`,
  mapOffline: 'The map background does not load (offline?): the point can still be placed, or type its coordinates.',
  pointHint: 'In decimal degrees, for example 48.65 and 2.37.',
  locating: 'Finding your position…',
  locateFailed: 'Your position could not be found: type it in.',
  row: 'Item',
  addRow: (label: string) => `Add: ${label}`,
  removeRow: (label: string) => `Remove: ${label}`,
  rowsHint: (min: number | undefined, max: number) => (min ? `From ${min} to ${max}.` : `Up to ${max}.`),
  megabytes: 'MB',
  kilobytes: 'kB',
  accepted: (types: string) => `Accepted formats: ${types}.`,
  atMost: (size: string) => `At most ${size} per file.`,
  upTo: (n: number) => `Up to ${n} files.`,
  chooseFile: 'Choose a file',
  addFile: 'Add a file',
  remove: 'Remove',
  removeFile: (name: string) => `Remove the file ${name}`,
  uploadOffline: 'You are offline: attach your files once the connection is back.',
  tooManyFiles: (n: number) => `At most ${n} files.`,
  uploadFailed: 'The file could not be sent. Choose it again.',
  formatHint: (type: string, field: Options): string => {
    switch (type) {
      case 'email':
        return 'For example: name@example.com';
      case 'phone':
        return 'For example: +33 6 12 34 56 78';
      case 'date':
        return 'As dd/mm/yyyy.';
      case 'time':
        return 'As hh:mm.';
      case 'postcode':
        return '5 digits.';
      case 'siret':
        return '14 digits.';
      case 'siren':
        return '9 digits.';
      case 'nir':
        return '15 digits (social security number).';
      case 'iban':
        return 'Starts with 2 letters, for example FR76…';
      case 'number': {
        const bounds = [field.min !== undefined ? `at least ${String(field.min)}` : '', field.max !== undefined ? `at most ${String(field.max)}` : ''];
        const text = bounds.filter(Boolean).join(', ');
        return text ? `A number, ${text}.` : 'A number.';
      }
      default:
        return '';
    }
  },
  required: (label: string) => `Enter “${label}”.`,
  step: (n: number, total: number) => `Step ${n} of ${total}`,
  continue: 'Continue',
  back: 'Back',
  checkTitle: 'Check your answers before sending',
  change: 'Change',
  changeLabel: (label: string) => `Change: ${label}`,
  notAnswered: 'Not answered',
  send: 'Send the request',
  sendHint: 'By sending, you confirm that this information is correct.',
  summaryTitle: 'There is a problem',
  checking: 'Checking…',
  sending: 'Sending…',
  waiting: 'Waiting to send',
  waitingText: 'You are offline. Your request is saved on this device and will be sent by itself as soon as the connection is back, even if you close this page.',
  sentTitle: 'Request sent',
  sentReference: 'Your reference',
  sentTracking: 'Your tracking code',
  sentKeep: 'Keep this code: it lets you follow your request without an account.',
  follow: 'Follow this request',
  refusedTitle: 'Your request could not be sent',
  savedHere: 'Your answers are saved on this device.',
  savedServer: 'Draft saved.',
  accountFirst: 'This procedure needs an account: sign in to do it.',
  formUnavailable: 'The form cannot be shown right now.',
  offlineNoForm: 'You are offline and this form has not been opened on this device yet.',
  resumeFailed: 'This draft cannot be found: the link may have expired.',
  startAgain: 'Start again',
  restartQuestion: 'Clear all your answers and start again? Your draft will be deleted, on this device and on the server.',
  restartConfirm: 'Yes, clear everything',
  restartCancel: 'No, keep my answers',
  restarted: 'Your answers were cleared: the procedure starts again.',
  startProcedure: 'Start the procedure',
  resume: 'Resume my request',
  resumeLater: 'Finish later, on another device',
  resumeHelp: 'This link reopens your draft wherever you are. Keep it to yourself: it gives access to your answers.',
  resumeLinkLabel: 'Resume link',
  copyLink: 'Copy the link',
  copied: 'Link copied',
  yesAnswer: 'Yes',
  noAnswer: 'No',
};

export const ft: Messages = language === 'en' ? en : fr;
