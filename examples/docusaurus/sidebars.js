export default {
  guide: ['peak-shaving', 'zh', 'own'],
};
