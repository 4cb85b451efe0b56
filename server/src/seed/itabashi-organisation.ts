/**
 * Itabashi City's organisation chart for demo data (部 → 課). Departments and the sections
 * marked "seen" are from the ward's published records; the others are illustrative, named as
 * the ward names its own. The desk lives at 政策経営部 経営改革推進課.
 */
export interface DepartmentSeed {
  name: string;
  sections: string[];
}

export const DESK_DEPARTMENT = '政策経営部';
export const DESK_SECTION = '経営改革推進課';

export const ITABASHI_ORGANISATION: DepartmentSeed[] = [
  { name: '政策経営部', sections: ['政策企画課', '経営改革推進課', '財政課', '広聴広報課'] },
  { name: '総務部', sections: ['総務課', '人事課'] },
  { name: '危機管理部', sections: ['防災危機管理課', '地域防災支援課'] },
  { name: '区民文化部', sections: ['地域振興課', '戸籍住民課', '文化・国際交流課', 'スポーツ振興課'] },
  { name: '産業経済部', sections: ['産業振興課', 'くらしと観光課', '産業戦略担当課', '赤塚支所'] },
  { name: '健康生きがい部', sections: ['長寿社会推進課', '介護保険課', '健康推進課'] },
  { name: '保健所', sections: ['生活衛生課', '予防対策課'] },
  { name: '福祉部', sections: ['福祉部管理課', '障がい政策課', '障がいサービス課'] },
  { name: '子ども家庭部', sections: ['子ども政策課', '保育運営課', '子育て支援施設課'] },
  { name: '子ども家庭総合支援センター', sections: ['支援課', '援助課'] },
  { name: '資源環境部', sections: ['環境政策課', '資源循環推進課', '板橋東清掃事務所', '板橋西清掃事務所'] },
  { name: '都市整備部', sections: ['都市計画課', '住宅政策課', '建築指導課'] },
  { name: 'まちづくり推進室', sections: ['まちづくり推進課', '大山駅周辺地区まちづくり課'] },
  { name: '土木部', sections: ['土木計画・交通安全課', 'みどりと公園課', '工事課'] },
  { name: '会計管理室', sections: ['会計課'] },
  { name: '教育委員会事務局', sections: ['教育総務課', '学務課', '指導室', '生涯学習課', '中央図書館'] },
  { name: '選挙管理委員会事務局', sections: ['選挙管理委員会事務局'] },
  { name: '監査委員事務局', sections: ['監査委員事務局'] },
  { name: '区議会事務局', sections: ['区議会事務局'] },
];
